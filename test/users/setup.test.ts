// /setup under a race: ten simultaneous first-admin forms on a fresh database make exactly one admin.
import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, testEnv, type TestEnv } from '../support/app.js';

describe('/setup race', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  it('10 simultaneous set-ups create exactly one admin; the others are refused', async function () {
    this.timeout(60000);
    const forms = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const agent = request.agent(env.app);
      const token = csrfFrom((await agent.get('/setup')).text);
      const pw = `Wombat-${i}-lantern-quiet`;
      return { agent, form: { _csrf: token, name: `Admin ${i}`, email: `admin${i}@example.org`, password: pw, password_confirm: pw } };
    }));
    const results = await Promise.all(forms.map(({ agent, form }) => agent.post('/setup').type('form').send(form)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 302)).to.have.length(1);
    expect(statuses.filter((s) => s === 404)).to.have.length(9);
    const users = await env.db('users').select('email', 'role');
    expect(users).to.have.length(1);
    expect(users[0].role).to.equal('admin');
    expect(await env.db('audit_log').where({ entity_type: 'user', action: 'create' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
  });
});
