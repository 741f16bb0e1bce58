import { expect } from 'chai';
import request from 'supertest';
import { login, testEnv, type TestEnv } from '../support/app.js';

describe('smoke: app boots', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('GET /health answers ok JSON', async () => {
    const res = await request(env.app).get('/health');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('an admin logs in and sees the people page', async () => {
    const admin = await login(env, 'admin@example.org', 'admin');
    const res = await admin.agent.get('/people');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('People');
  });
});
