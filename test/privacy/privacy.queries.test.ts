import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { SYSTEM_ACTOR, type Actor } from '../../src/audit/audit.queries.js';
import {
  isSuppressed, personConsents, personDataExport, recordConsent, suppressionFor, suppressionsFor, withdrawConsent,
} from '../../src/privacy/privacy.queries.js';
import { anonymisePeople, confirmPeople, erasePeople, eraseImpact, REDACTED, staleRecords } from '../../src/privacy/retention.queries.js';
import { addPerson, richPerson } from './fixtures.js';

const actor: Actor = { userId: null, label: 'tester', source: 'cli' };

describe('privacy queries', () => {
  let db: Knex;
  beforeEach(async () => { db = await testDb(); });
  afterEach(async () => { await db.destroy(); });

  describe('consents are append-only', () => {
    it('withdrawing appends a row; the latest row wins; earlier rows stay unchanged', async () => {
      const id = await addPerson(db);
      await recordConsent(db, actor, id, { purpose: 'newsletter', status: 'given', method: 'email', noticeText: 'Monthly news' });
      const before = await db('consents').where({ person_id: id }).select();
      expect(await withdrawConsent(db, actor, id, 'newsletter')).to.equal(true);
      const rows = await personConsents(db, id);
      expect(rows.map((r) => r.status)).to.deep.equal(['withdrawn', 'given']); // newest first
      expect(rows[1]).to.include({ id: before[0].id, status: 'given', method: 'email', notice_text: 'Monthly news' });
      expect(rows[0]!.recorded_by_user_id).to.equal(null);
      // nothing to withdraw twice
      expect(await withdrawConsent(db, actor, id, 'newsletter')).to.equal(false);
      expect(await withdrawConsent(db, actor, id, 'directory')).to.equal(false);
      expect(await db('consents').where({ person_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
      // given again after withdrawal: a third row
      await recordConsent(db, actor, id, { purpose: 'newsletter', status: 'given', method: null, noticeText: null });
      expect((await personConsents(db, id))[0]!.status).to.equal('given');
      const audits = await db('audit_log').where({ entity_type: 'person', entity_id: id, action: 'consent' }).count({ n: '*' }).first();
      expect(audits).to.deep.equal({ n: 3 });
    });
  });

  describe('data export', () => {
    it('holds the profile, skills with levels, tags, engagements with project and organisation, consents, imports and audit', async () => {
      const { id } = await richPerson(db);
      const data = (await personDataExport(db, id))!;
      expect(data.person).to.include({ id, first_name: 'Jürgen', last_name: 'Schäfer', email: 'Juergen@Example.org', city: 'Berlin', notes: 'Met at the barcamp' });
      expect(data.person).to.not.have.property('email_norm');
      expect(data.skills).to.deep.equal([{ skill: 'SEO', skill_de: 'Suchmaschinenoptimierung', level: 3, last_used_at: null }]);
      expect(data.tags).to.deep.equal(['Berlin', 'web']);
      expect(data.engagements).to.have.length(1);
      expect(data.engagements[0]).to.include({ project: 'New website', organisation: 'Tafel Nord', role: 'Lead developer', feedback: 'Great work', rating: 5 });
      expect(data.consents).to.deep.equal([{ purpose: 'newsletter', status: 'given', method: 'web_form', notice_text: 'We send a newsletter monthly.', recorded_by: null, created_at: '2025-01-01T10:00:00.000Z' }]);
      expect(data.imports).to.deep.include({ batch_id: 1, filename: 'contacts.csv', action: 'create', applied_at: 'x' });
      expect(data.audit.map((a) => `${a.entity_type}:${a.action}`)).to.deep.equal(['person:create', 'engagement:create']);
      expect((data.audit[0]!.changes as Record<string, unknown>).first_name).to.equal('Jürgen');
      expect(JSON.parse(JSON.stringify(data))).to.deep.equal(data); // plain JSON
    });

    it('is undefined for an unknown person', async () => {
      expect(await personDataExport(db, 999)).to.equal(undefined);
    });
  });

  describe('erasure', () => {
    it('deletes the person and everything only theirs, pseudonymises the trail and records the hashed e-mail', async () => {
      const { id, other, engagementId } = await richPerson(db);
      const impact = await eraseImpact(db, id);
      expect(impact).to.deep.equal({ skills: 1, tags: 2, engagements: 1, consents: 1, imports: 1, audit: 2, hasEmail: true });
      expect(await db('people_fts').where({ rowid: id }).first()).to.not.equal(undefined);

      expect(await erasePeople(db, actor, [id])).to.equal(1);
      expect(await db('people').where({ id }).first()).to.equal(undefined);
      for (const table of ['person_skills', 'person_tags', 'engagements', 'consents', 'import_changes']) {
        expect(await db(table).where({ person_id: id }).count({ n: '*' }).first(), table).to.deep.equal({ n: 0 });
      }
      expect(await db('people_fts').where({ rowid: id }).first()).to.equal(undefined);
      // the audit trail keeps what, when and who, never the values
      const trail = await db('audit_log').where({ entity_type: 'person', entity_id: id }).orderBy('id').select();
      expect(trail.map((a) => a.action)).to.deep.equal(['create', 'erase']);
      expect(trail[0].changes).to.equal(REDACTED);
      expect(trail[0].created_at).to.be.a('string');
      const eng = await db('audit_log').where({ entity_type: 'engagement', entity_id: engagementId }).first();
      expect(eng.changes).to.equal(REDACTED);
      const erase = trail[1];
      expect(erase.actor).to.equal('tester');
      expect(erase.changes).to.not.match(/Jürgen|Schäfer|juergen|Berlin|example\.org/i);
      expect(JSON.parse(erase.changes).rows).to.deep.include({ engagements: 1, consents: 1 });
      const all = JSON.stringify(await db('audit_log').select());
      expect(all).to.not.match(/Schäfer|juergen@example/i);
      // only the hash is kept
      const hash = createHash('sha256').update('juergen@example.org').digest('hex');
      const sup = await db('suppressions').select();
      expect(sup).to.have.length(1);
      expect(sup[0].email_hash).to.equal(hash);
      expect(sup[0].erased_at).to.match(/^\d{4}-\d{2}-\d{2}T/);
      // the bystander is untouched, and shared things (skill, tag, project) stay
      expect(await db('people').where({ id: other }).first()).to.include({ first_name: 'Ada' });
      expect(await db('person_skills').where({ person_id: other }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
      expect(await db('people_fts').where({ rowid: other }).first()).to.not.equal(undefined);
      expect(await db('projects').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
      expect(await db('skills').count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    });

    it('isSuppressed is true for any case or whitespace variant of the e-mail, false for others', async () => {
      const id = await addPerson(db);
      expect(await isSuppressed(db, 'juergen@example.org')).to.equal(false);
      await erasePeople(db, actor, [id]);
      for (const v of ['juergen@example.org', 'JUERGEN@EXAMPLE.ORG', '  Juergen@Example.org  ', '\tjuergen@example.ORG\n']) {
        expect(await isSuppressed(db, v), v).to.equal(true);
      }
      expect(await isSuppressed(db, 'juergen@example.com')).to.equal(false);
      expect(await isSuppressed(db, '')).to.equal(false);
      expect(await isSuppressed(db, null)).to.equal(false);
      expect((await suppressionFor(db, 'Juergen@example.org'))!.erased_at).to.match(/^\d{4}-/);
      const bulk = await suppressionsFor(db, ['JUERGEN@example.org ', 'nobody@example.org', null]);
      expect([...bulk.keys()]).to.deep.equal(['juergen@example.org']);
    });

    it('a person without e-mail leaves no suppression record; unknown ids are skipped', async () => {
      const id = await addPerson(db, { email: null });
      expect(await erasePeople(db, actor, [id, 999])).to.equal(1);
      expect(await db('suppressions').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      expect(await db('people').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
    });
  });

  describe('stale records', () => {
    async function person(over: { created_at: string; last_confirmed_at?: string | null; engagement?: [string | null, string | null] }, name: string) {
      const id = await addPerson(db, { last_name: name, email: `${name.toLowerCase()}@example.org`, last_confirmed_at: over.last_confirmed_at ?? null });
      await db('people').where({ id }).update({ created_at: over.created_at });
      if (over.engagement) {
        let org = await db('organisations').first('id');
        if (!org) [org] = await db('organisations').insert({ name: 'O', name_norm: 'o', created_at: 'x', updated_at: 'x' }).returning('id');
        const [proj] = await db('projects').insert({ organisation_id: org.id, title: `P ${name}`, created_at: 'x', updated_at: 'x' }).returning('id');
        await db('engagements').insert({ person_id: id, project_id: proj.id, start_date: over.engagement[0], end_date: over.engagement[1], created_at: 'x', updated_at: 'x' });
      }
      return id;
    }

    it('lists only people neither confirmed nor active since the cut-off', async () => {
      const cutoff = '2024-11-27';
      const stale = [
        await person({ created_at: '2020-01-01T00:00:00.000Z' }, 'NeverConfirmed'),
        await person({ created_at: '2020-01-01T00:00:00.000Z', last_confirmed_at: '2024-11-26' }, 'ConfirmedDayBefore'),
        await person({ created_at: '2019-01-01T00:00:00.000Z', engagement: ['2021-01-01', '2022-01-01'] }, 'OldEngagement'),
        await person({ created_at: '2019-01-01T00:00:00.000Z', engagement: [null, null] }, 'UndatedEngagement'),
      ];
      await person({ created_at: '2025-06-01T00:00:00.000Z' }, 'NewlyAdded');
      await person({ created_at: '2020-01-01T00:00:00.000Z', last_confirmed_at: '2024-11-27' }, 'ConfirmedOnCutoff');
      await person({ created_at: '2020-01-01T00:00:00.000Z', engagement: ['2023-01-01', '2025-02-01'] }, 'RecentEnd');
      await person({ created_at: '2020-01-01T00:00:00.000Z', engagement: ['2025-09-01', null] }, 'RecentStart');
      const anon = await person({ created_at: '2020-01-01T00:00:00.000Z' }, 'Anonymised');
      await anonymisePeople(db, actor, [anon]);

      const page = await staleRecords(db, cutoff, 1);
      expect(page.total).to.equal(4);
      expect(page.rows.map((r) => r.id).sort()).to.deep.equal([...stale].sort());
      expect(page.rows.find((r) => r.last_name === 'OldEngagement')!.last_active).to.equal('2022-01-01');

      const paged = await staleRecords(db, cutoff, 9, 3);
      expect(paged).to.include({ total: 4, page: 2, pages: 2 });
      expect(paged.rows).to.have.length(1);
    });

    it('re-confirming sets today, audits, and takes people off the list', async () => {
      const a = await person({ created_at: '2020-01-01T00:00:00.000Z', last_confirmed_at: '2021-05-05' }, 'A');
      expect(await confirmPeople(db, actor, [a, 999], '2026-11-27')).to.equal(1);
      expect((await db('people').where({ id: a }).first()).last_confirmed_at).to.equal('2026-11-27');
      const audit = await db('audit_log').where({ entity_id: a, action: 'confirm' }).first();
      expect(JSON.parse(audit.changes)).to.deep.equal({ last_confirmed_at: { from: '2021-05-05', to: '2026-11-27' } });
      expect((await staleRecords(db, '2024-11-27', 1)).total).to.equal(0);
    });

    it('anonymising blanks personal fields, keeps skills/city/kind, leaves the search and pseudonymises the trail', async () => {
      const { id } = await richPerson(db);
      expect(await anonymisePeople(db, actor, [id])).to.equal(1);
      const p = await db('people').where({ id }).first();
      expect(`${p.first_name} ${p.last_name}`).to.equal(`Anonymised #${id}`);
      for (const k of ['email', 'email_norm', 'phone', 'phone_norm', 'postcode', 'portfolio_url', 'notes', 'organisation', 'job_title']) {
        expect(p[k], k).to.equal(null);
      }
      expect(p).to.include({ city: 'Berlin', kind: 'freelancer', do_not_contact: 1 });
      expect(p.anonymised_at).to.be.a('string');
      expect(await db('person_skills').where({ person_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
      expect(await db('people_fts').where({ rowid: id }).first()).to.equal(undefined);
      const trail = await db('audit_log').where({ entity_type: 'person', entity_id: id }).orderBy('id').select('action', 'changes');
      expect(trail.map((a) => a.action)).to.deep.equal(['create', 'anonymise']);
      expect(trail[0].changes).to.equal(REDACTED);
      expect(await db('import_changes').where({ person_id: id }).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
      // a second time changes nothing
      expect(await anonymisePeople(db, actor, [id])).to.equal(0);
    });
  });

  it('SYSTEM_ACTOR erasures are audited as system', async () => {
    const id = await addPerson(db);
    await erasePeople(db, SYSTEM_ACTOR, [id]);
    expect((await db('audit_log').where({ action: 'erase' }).first()).actor).to.equal('system');
  });
});
