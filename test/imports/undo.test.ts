import { expect } from 'chai';
import type { Knex } from 'knex';
import { UndoConflictError, undoBatch, undoImpact } from '../../src/imports/undo.service.js';
import { updatePerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { testDb } from '../support/app.js';
import { importCsv } from './helpers.js';

const ACTOR = { userId: null, label: 'undoer', source: 'web' as const };

describe('undoing an import', () => {
  let db: Knex;
  let first: number;
  beforeEach(async () => {
    db = await testDb();
    await db('skills').insert({ name: 'SEO', name_norm: 'seo', created_at: 'x', updated_at: 'x' });
    await db('tags').insert({ name: 'Old', name_norm: 'old' });
    const s = await importCsv(db, 'First Name,Last Name,Email,City,Skills,Tags\nAda,Lovelace,ada@example.org,London,SEO (1),Old\nBob,Baker,bob@example.org,Bonn,,\n');
    first = s.batch!;
  });
  afterEach(async () => { await db.destroy(); });

  const snapshot = async () => ({
    people: await db('people').orderBy('id').select('id', 'first_name', 'last_name', 'email', 'email_norm', 'city', 'city_norm', 'phone', 'phone_norm', 'name_norm'),
    skills: await db('person_skills').orderBy(['person_id', 'skill_id']).select('person_id', 'skill_id', 'level'),
    tags: await db('person_tags').orderBy(['person_id', 'tag_id']).select(),
    skillNames: await db('skills').orderBy('id').pluck('name'),
    tagNames: await db('tags').orderBy('id').pluck('name'),
    fts: await db('people_fts').orderBy('rowid').select('rowid', 'doc'),
  });

  it('restores updated people and removes created people, skills and tags', async () => {
    const before = await snapshot();
    const s = await importCsv(db, 'First Name,Email,City,Phone,Skills,Tags\nAda,ada@example.org,Paris,+33 1,SEO (3); Knitting,New\nCy,cy@example.org,Cork,,Knitting,New\n', { policy: 'update' });
    expect(s).to.include({ created: 1, updated: 1 });
    expect(await undoImpact(db, s.batch!)).to.deep.equal({ created: 1, updated: 1, engagements: 0, engagementUpdates: 0, conflicts: [], conflictCount: 0 });
    expect(await undoBatch(db, ACTOR, s.batch!, { force: false })).to.deep.equal({ deleted: 1, restored: 1 });
    expect(await snapshot()).to.deep.equal(before);
    expect(await db('import_batches').where({ id: s.batch }).first()).to.include({ status: 'undone' });
    const audit = await db('audit_log').where({ action: 'undo' }).select('entity_type', 'actor', 'source');
    expect(audit).to.deep.include({ entity_type: 'person', actor: 'undoer', source: 'web' });
  });

  it('undoing the first import removes everyone it created', async () => {
    expect(await undoBatch(db, ACTOR, first, { force: false })).to.deep.equal({ deleted: 2, restored: 0 });
    expect(await db('people').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    expect(await db('people_fts').count<{ n: number }[]>({ n: '*' })).to.deep.equal([{ n: 0 }]);
    // the skill and tag existed before the import: they stay
    expect(await db('skills').pluck('name')).to.deep.equal(['SEO']);
    expect(await db('tags').pluck('name')).to.deep.equal(['Old']);
  });

  it('names people edited since and asks before overwriting their changes', async () => {
    const s = await importCsv(db, 'Email,City\nada@example.org,Paris\n', { policy: 'update' });
    const ada = await db('people').where({ email_norm: 'ada@example.org' }).first();
    // someone edits Ada after the import (a later timestamp than the import's)
    await new Promise((r) => setTimeout(r, 5));
    const form = validatePerson({ ...ada, city: 'Rome', kind: 'volunteer', availability: 'available' });
    if (!form.ok) throw new Error('bad form');
    await updatePerson(db, ACTOR, ada.id, form.value);
    const impact = await undoImpact(db, s.batch!);
    expect(impact.conflictCount).to.equal(1);
    expect(impact.conflicts[0]).to.include({ person_id: ada.id, first_name: 'Ada', action: 'update', reason: 'edited' });
    let err: unknown = null;
    try {
      await undoBatch(db, ACTOR, s.batch!, { force: false });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(UndoConflictError);
    expect((await db('people').where({ id: ada.id }).first()).city).to.equal('Rome');
    await undoBatch(db, ACTOR, s.batch!, { force: true });
    expect((await db('people').where({ id: ada.id }).first()).city).to.equal('London');
  });

  it('flags created people who have engagements by now', async () => {
    const bob = await db('people').where({ email_norm: 'bob@example.org' }).first();
    const [org] = await db('organisations').insert({ name: 'O', name_norm: 'o', created_at: 'x', updated_at: 'x' }).returning('id');
    const [proj] = await db('projects').insert({ organisation_id: org.id ?? org, title: 'P', created_at: 'x', updated_at: 'x' }).returning('id');
    await db('engagements').insert({ person_id: bob.id, project_id: proj.id ?? proj, created_at: 'x', updated_at: 'x' });
    const impact = await undoImpact(db, first);
    expect(impact.conflicts.map((c) => [c.person_id, c.reason])).to.deep.equal([[bob.id, 'engagements']]);
  });
});
