import { expect } from 'chai';
import { login, testEnv, type TestEnv } from '../support/app.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createPerson } from '../../src/people/people.queries.js';
import type { PersonFields } from '../../src/people/people.domain.js';

const fields = (f: Partial<PersonFields>): PersonFields => ({
  first_name: '', last_name: '', email: null, phone: null, city: null, postcode: null, country: null, languages: null,
  kind: 'volunteer', availability: 'available', organisation: null, job_title: null, portfolio_url: null, notes: null,
  do_not_contact: false, last_confirmed_at: null, ...f,
});

describe('the /join queue warns about likely duplicates', () => {
  let env: TestEnv;
  beforeEach(async () => { env = await testEnv(); });
  afterEach(async () => { await env.close(); });

  const application = (n: number, first: string, last: string, email: string, city: string) => ({
    token_hash: String(n).repeat(64).slice(0, 64), email, email_norm: email.toLowerCase(), locale: 'en', status: 'confirmed',
    created_at: '2026-12-01T10:00:00.000Z', confirmed_at: '2026-12-01T10:05:00.000Z',
    data: JSON.stringify({ first_name: first, last_name: last, email, city, availability: 'available', note: null, skills: [], notice: 'n' }),
  });

  it('an offer under another spelling of a known mailbox (googlemail, dots) links them, with the reasons', async () => {
    const jana = await createPerson(env.db, SYSTEM_ACTOR, { fields: fields({ first_name: 'Jana', last_name: 'Krüger', email: 'jana.krueger@gmail.com', city: 'Leipzig' }), skills: [], tags: [] });
    await env.db('join_applications').insert(application(1, 'Jana', 'Krueger', 'JanaKrueger@googlemail.com', 'Leipzig'));
    await env.db('join_applications').insert(application(2, 'Olaf', 'Schulz', 'olaf@example.org', 'Kiel'));
    const m = await login(env, 'm@example.org', 'manager');
    const queue = await m.agent.get('/requests');
    expect(queue.status).to.equal(200);
    expect(queue.text).to.match(/looks like Jana Krüger \(score \d+\)/);
    expect(queue.text).to.contain(`href="/people/${jana}"`);
    expect(queue.text).to.contain('same e-mail apart from dots, +tags or the domain spelling: janakrueger@googlemail.com / jana.krueger@gmail.com');
    expect((queue.text.match(/looks like /g) ?? []).length).to.equal(1);
  });
});
