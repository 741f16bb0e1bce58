import { expect } from 'chai';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { addOrganisation, addPerson, addProject } from '../support/network.js';
import {
  addToShortlist, askedElsewhereSince, changeShortlistState, findShortlistEntry, projectShortlist, removeFromShortlist, shortlistEvents,
  ShortlistConflict,
} from '../../src/shortlists/shortlists.queries.js';
import type { Actor } from '../../src/audit/audit.queries.js';

const actor: Actor = { userId: null, label: 'test', source: 'cli' };

describe('shortlist queries', () => {
  let db: Knex;
  let project: number;
  let other: number;
  let people: number[];
  let dnc: number;

  beforeEach(async () => {
    db = await testDb();
    const org = await addOrganisation(db, 'Org');
    project = await addProject(db, org, 'Website');
    other = await addProject(db, org, 'Newsletter');
    people = [await addPerson(db, 'Ann', 'A'), await addPerson(db, 'Bob', 'B'), await addPerson(db, 'Cem', 'C')];
    dnc = await addPerson(db, 'Dora', 'D', { dnc: true });
  });
  afterEach(async () => { await db.destroy(); });

  it('adds several people in one go, one audit entry; again is a no-op; do-not-contact left out', async () => {
    const first = await addToShortlist(db, actor, project, [people[0]!, people[1]!, dnc, 999999, people[0]!], { via: 'test' });
    expect(first.added.sort()).to.deep.equal([people[0], people[1]].sort());
    expect(first.doNotContact).to.deep.equal([dnc]);
    const again = await addToShortlist(db, actor, project, [people[0]!, people[2]!]);
    expect(again.added).to.deep.equal([people[2]]);
    expect(again.already).to.deep.equal([people[0]]);
    const list = await projectShortlist(db, project);
    expect(list.map((r) => r.state)).to.deep.equal(['shortlisted', 'shortlisted', 'shortlisted']);
    const audits = await db('audit_log').where({ action: 'shortlist.add', entity_id: project });
    expect(audits).to.have.length(2);
    expect(JSON.parse(audits[0].changes)).to.include({ count: 2, via: 'test' });
    const events = await shortlistEvents(db, project);
    expect([...events.values()].flat().map((e) => e.to_state)).to.deep.equal(['shortlisted', 'shortlisted', 'shortlisted']);
  });

  it('adds thousands of people in one transaction', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({ first_name: 'P', last_name: String(i), name_norm: `p ${i}`, created_at: 'x', updated_at: 'x' }));
    for (let i = 0; i < rows.length; i += 200) await db('people').insert(rows.slice(i, i + 200));
    const ids = (await db('people').where('first_name', 'P').pluck('id')).map(Number);
    const res = await addToShortlist(db, actor, project, ids);
    expect(res.added).to.have.length(1200);
    expect(await removeFromShortlist(db, actor, project, ids)).to.equal(1200);
    expect(await projectShortlist(db, project)).to.have.length(0);
  });

  it('undo removes only entries nobody asked yet', async () => {
    await addToShortlist(db, actor, project, people);
    const entry = (await findShortlistEntry(db, project, people[0]!))!;
    await changeShortlistState(db, actor, entry, project, { to: 'asked', reason: null });
    expect(await removeFromShortlist(db, actor, project, people)).to.equal(2);
    expect((await projectShortlist(db, project)).map((r) => r.person_id)).to.deep.equal([people[0]]);
  });

  it('accept records the engagement once, in the same change; the history is dated', async () => {
    await addToShortlist(db, actor, project, [people[0]!]);
    let entry = (await findShortlistEntry(db, project, people[0]!))!;
    await changeShortlistState(db, actor, entry, project, { to: 'asked', reason: null });
    entry = (await findShortlistEntry(db, project, people[0]!))!;
    expect(entry.asked_at).to.be.a('string');
    const { engagementId } = await changeShortlistState(db, actor, entry, project, { to: 'accepted', reason: null });
    expect(engagementId).to.be.a('number');
    const engagements = await db('engagements').where({ project_id: project, person_id: people[0] });
    expect(engagements).to.have.length(1);
    entry = (await findShortlistEntry(db, project, people[0]!))!;
    expect(entry).to.include({ state: 'accepted', engagement_id: engagementId });
    const events = (await shortlistEvents(db, project)).get(entry.id)!;
    expect(events.map((e) => [e.from_state, e.to_state])).to.deep.equal([[null, 'shortlisted'], ['shortlisted', 'asked'], ['asked', 'accepted']]);
    expect(events.every((e) => /^\d{4}-\d\d-\d\dT/.test(e.created_at))).to.equal(true);
  });

  it('a stale state is refused and changes nothing', async () => {
    await addToShortlist(db, actor, project, [people[0]!]);
    const entry = (await findShortlistEntry(db, project, people[0]!))!;
    await changeShortlistState(db, actor, entry, project, { to: 'asked', reason: null });
    let err: unknown;
    try { await changeShortlistState(db, actor, entry, project, { to: 'accepted', reason: null }); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(ShortlistConflict);
    expect(await db('engagements').where({ project_id: project })).to.have.length(0);
  });

  it('finds who was asked recently for another project', async () => {
    await addToShortlist(db, actor, other, [people[1]!]);
    const entry = (await findShortlistEntry(db, other, people[1]!))!;
    await changeShortlistState(db, actor, entry, other, { to: 'asked', reason: null });
    const marks = await askedElsewhereSince(db, project, people, '2000-01-01T00:00:00.000Z');
    expect([...marks.keys()]).to.deep.equal([people[1]]);
    expect(marks.get(people[1]!)).to.include({ project_id: other, title: 'Newsletter' });
    expect((await askedElsewhereSince(db, other, people, '2000-01-01')).size).to.equal(0);
    expect((await askedElsewhereSince(db, project, people, '2999-01-01')).size).to.equal(0);
  });
});

describe('shortlists and merging people', () => {
  it('a merge moves entries to the kept person (the kept entry wins a clash); undo restores both with their history', async () => {
    const { mergePeople, undoMerge } = await import('../../src/duplicates/merge.queries.js');
    const db = await testDb();
    try {
      const org = await addOrganisation(db, 'Org');
      const p1 = await addProject(db, org, 'One');
      const p2 = await addProject(db, org, 'Two');
      const keep = await addPerson(db, 'Jana', 'K');
      const other = await addPerson(db, 'Jana', 'Kay');
      await addToShortlist(db, actor, p1, [keep, other]);
      await addToShortlist(db, actor, p2, [other]);
      const e = (await findShortlistEntry(db, p1, other))!;
      await changeShortlistState(db, actor, e, p1, { to: 'asked', reason: null });
      const mergeId = await mergePeople(db, actor, { keepId: keep, ids: [other] });
      expect((await db('shortlist_entries').orderBy('project_id').select('project_id', 'person_id')).map((r) => [r.project_id, r.person_id]))
        .to.deep.equal([[p1, keep], [p2, keep]]);
      await undoMerge(db, actor, mergeId);
      expect((await db('shortlist_entries').orderBy(['project_id', 'person_id']).select('project_id', 'person_id', 'state')).map((r) => [r.project_id, r.person_id, r.state]))
        .to.deep.equal([[p1, keep, 'shortlisted'], [p1, other, 'asked'], [p2, other, 'shortlisted']]);
      const events = (await shortlistEvents(db, p1)).get(e.id)!;
      expect(events.map((x) => x.to_state)).to.deep.equal(['shortlisted', 'asked']);
    } finally {
      await db.destroy();
    }
  });
});
