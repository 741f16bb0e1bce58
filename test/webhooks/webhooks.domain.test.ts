// The pure webhook rules: signatures match the Standard Webhooks reference vector, and which write is which event
// (with no personal data in any payload).
import { expect } from 'chai';
import { eventOf, signWebhook, validateEndpoint, verifyWebhook } from '../../src/webhooks/webhooks.domain.js';

describe('webhooks: signing and events', () => {
  it('signs exactly as the Standard Webhooks reference implementation', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).to.equal('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const headers = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: '1614265330', signature: 'v1,bad v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };
    expect(verifyWebhook(secret, headers, body)).to.equal(true);
    expect(verifyWebhook(secret, { ...headers, timestamp: '1614265331' }, body)).to.equal(false);
  });

  const cases: [string, Parameters<typeof eventOf>[0], ReturnType<typeof eventOf>][] = [
    ['person created', { action: 'create', entityType: 'person', entityId: 7, changes: { email: 'a@example.org' } }, { type: 'person.created', data: { id: 7 } }],
    ['person updated: field names only', { action: 'update', entityType: 'person', entityId: 7, changes: { city: { from: 'A', to: 'B' }, email: { from: 'x', to: 'y' } } },
      { type: 'person.updated', data: { id: 7, fields: ['city', 'email'] } }],
    ['person erased: only the id', { action: 'erase', entityType: 'person', entityId: 7, changes: { rows: { engagements: 2 } } }, { type: 'person.erased', data: { id: 7 } }],
    ['person deleted', { action: 'delete', entityType: 'person', entityId: 7, changes: { first_name: 'Ada' } }, { type: 'person.deleted', data: { id: 7 } }],
    ['person merged', { action: 'merge', entityType: 'person', entityId: 7, changes: { merge_id: 3, merged: 'Ada (#8)' } }, { type: 'person.merged', data: { id: 7, merge_id: 3 } }],
    ['engagement created', { action: 'create', entityType: 'engagement', entityId: 4, changes: { person_id: 7, project_id: 2, feedback: 'x' } },
      { type: 'engagement.created', data: { id: 4, person_id: 7, project_id: 2 } }],
    ['a consent: no event', { action: 'consent', entityType: 'person', entityId: 7 }, null],
    ['an export: no event', { action: 'export', entityType: 'person', entityId: null }, null],
    ['a skill: no event', { action: 'create', entityType: 'skill', entityId: 1 }, null],
  ];
  for (const [name, write, expected] of cases) it(name, () => expect(eventOf(write)).to.deep.equal(expected));

  it('an endpoint needs an address it may call and at least one known event', () => {
    expect(validateEndpoint({ url: 'https://hooks.example.org/skillnet', events: ['person.created'] }, 'production').ok).to.equal(true);
    const bad = validateEndpoint({ url: 'http://hooks.example.org', events: ['person.exploded'] }, 'development');
    expect(bad.ok ? {} : bad.errors).to.deep.equal({ url: 'webhooks.urlHttps', events: 'webhooks.eventsRequired' });
  });
});
