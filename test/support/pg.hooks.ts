// Mocha global fixtures for npm run test:pg: the template database before the first test, every database of
// the run dropped after the last.
import { setUpTemplate, tearDown } from './pg.js';

export async function mochaGlobalSetup(): Promise<void> {
  await setUpTemplate();
}

export async function mochaGlobalTeardown(): Promise<void> {
  await tearDown();
}
