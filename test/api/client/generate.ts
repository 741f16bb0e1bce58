// Generates the typed client's types from the OpenAPI document with openapi-typescript (npm run api:types).
// test/api/client.test.ts checks that the committed openapi.gen.ts is what this produces now.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../../../src/api/openapi.domain.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const GENERATED = path.join(here, 'openapi.gen.ts');

/** The generated types as text (the generator runs in a child process with its TypeScript 5 API). */
export function generateTypes(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-openapi-'));
  try {
    const spec = path.join(dir, 'openapi.json');
    const out = path.join(dir, 'openapi.gen.ts');
    writeFileSync(spec, JSON.stringify(openApiDocument(), null, 2));
    const root = path.resolve(here, '../../..');
    execFileSync(process.execPath, ['--import', path.join(here, 'typescript5.hook.mjs'), path.join(root, 'node_modules/openapi-typescript/bin/cli.js'), spec, '-o', out],
      { cwd: root, stdio: 'pipe' });
    return readFileSync(out, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writeFileSync(GENERATED, generateTypes());
  console.log(`wrote ${path.relative(process.cwd(), GENERATED)}`);
}
