// People and their skills and tags: reads for the screens, and writes that keep the search index and audit log in step.
import type { Knex } from 'knex';
import { updateVersioned, VersionConflict } from '../shared/versions.queries.js';
import { nowIso, PreparedRead, readTogether } from '../db.js';
import { historyRows, type AuditRow } from '../audit/audit.queries.js';
import { visibleHistoryRead } from '../audit/history.queries.js';
import { PERSON_CONSENTS } from '../privacy/privacy.queries.js';
import type { ConsentRow } from '../privacy/privacy.domain.js';
import { LAST_MERGE, undoableMergeOf } from '../duplicates/merge.queries.js';
import { GERMAN_SKILL_NAMES, germanNamesOf } from '../skills/skills.queries.js';
import type { Role } from '../users/roles.domain.js';
import { recordAudit, recordUpdate, type Actor } from '../audit/audit.queries.js';
import { nameKey } from '../shared/normalise.js';
import { deleteSearchDocs, reindexPeople } from '../search/index.queries.js';
import { forgetMergeTraces } from '../duplicates/merge.queries.js';
import { personColumns, type PersonInput, type SkillChoice } from './people.domain.js';

export interface PersonRow {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  email_norm: string | null;
  phone: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  languages: string | null;
  kind: string;
  availability: string;
  organisation: string | null;
  job_title: string | null;
  portfolio_url: string | null;
  notes: string | null;
  do_not_contact: number;
  last_confirmed_at: string | null;
  /** until when a limited or unavailable person is so (set through their own link) */
  available_until: string | null;
  /** the language of mails to the person */
  locale: string | null;
  created_by_user_id: number | null;
  created_by_batch_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface PersonSkill {
  skill_id: number;
  name: string;
  name_de: string | null;
  level: number;
  last_used_at: string | null;
}

/** Every person's id, ascending. */
export function allPersonIds(db: Knex): Promise<number[]> {
  return db('people').orderBy('id').pluck('id');
}

export const PERSON = new PreparedRead<[number], PersonRow | undefined>((db, id) => db('people').where({ id }).first());

export function findPerson(db: Knex, id: number): Promise<PersonRow | undefined> {
  return PERSON.run(db, id);
}

export const PERSON_SKILLS = new PreparedRead<[number], PersonSkill[]>((db, personId) => db('person_skills as ps')
  .join('skills as s', 's.id', 'ps.skill_id')
  .where('ps.person_id', personId)
  .orderBy([{ column: 'ps.level', order: 'desc' }, { column: 's.name' }])
  .select('ps.skill_id', 's.name', 's.name_de', 'ps.level', 'ps.last_used_at'));

export function personSkills(db: Knex, personId: number): Promise<PersonSkill[]> {
  return PERSON_SKILLS.run(db, personId);
}

export const PERSON_TAGS = new PreparedRead<[number], string[]>((db, personId) =>
  db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('pt.person_id', personId).orderBy('t.name').pluck('t.name'));

export function personTags(db: Knex, personId: number): Promise<string[]> {
  return PERSON_TAGS.run(db, personId);
}

/** Replaces a person's skills; keeps last_used_at of skills they keep. */
export async function setPersonSkills(trx: Knex, personId: number, skills: SkillChoice[]): Promise<void> {
  const existing = new Map<number, string | null>(
    (await trx('person_skills').where({ person_id: personId }).select('skill_id', 'last_used_at')).map((r) => [r.skill_id, r.last_used_at]),
  );
  await trx('person_skills').where({ person_id: personId }).del();
  if (skills.length) {
    await trx('person_skills').insert(
      skills.map((s) => ({ person_id: personId, skill_id: s.skillId, level: s.level, last_used_at: existing.get(s.skillId) ?? null })),
    );
  }
}

/** Finds or creates tags by name (case- and accent-insensitive); returns their ids. */
export async function tagIds(trx: Knex, names: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const name of names) {
    const key = nameKey(name);
    if (!key) continue;
    const row = await trx('tags').where({ name_norm: key }).first('id');
    if (row) ids.push(row.id);
    else {
      const [ins] = await trx('tags').insert({ name: name.trim(), name_norm: key }).returning('id');
      ids.push(typeof ins === 'object' ? ins.id : ins);
    }
  }
  return [...new Set(ids)];
}

export async function setPersonTags(trx: Knex, personId: number, names: string[]): Promise<void> {
  const ids = await tagIds(trx, names);
  await trx('person_tags').where({ person_id: personId }).del();
  if (ids.length) await trx('person_tags').insert(ids.map((tag_id) => ({ person_id: personId, tag_id })));
}

/** A person with their skills and tags as one flat record, as the audit log compares them. */
export async function personSnapshot(db: Knex, id: number) {
  const person = await findPerson(db, id);
  if (!person) return null;
  const skills = (await personSkills(db, id)).map((s) => `${s.name} (${s.level})`).sort().join(', ');
  const tags = (await personTags(db, id)).join(', ');
  return { ...person, skills, tags } as Record<string, unknown>;
}

/** Creates a person with skills and tags; audited and indexed. */
export async function createPerson(db: Knex, actor: Actor, input: PersonInput): Promise<number> {
  return db.transaction(async (trx) => {
    const now = nowIso();
    const [row] = await trx('people')
      .insert({ ...personColumns(input.fields), created_by_user_id: actor.userId, created_at: now, updated_at: now })
      .returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await setPersonSkills(trx, id, input.skills);
    await setPersonTags(trx, id, input.tags);
    await reindexPeople(trx, [id]);
    await recordAudit(trx, actor, { action: 'create', entityType: 'person', entityId: id, changes: (await personSnapshot(trx, id)) ?? {} });
    return id;
  });
}

export { VersionConflict };

/**
 * Saves a person's form. With `version` (the updated_at the form was opened with) the save happens only if
 * nobody saved in between; otherwise it throws VersionConflict and writes nothing.
 */
export async function updatePerson(db: Knex, actor: Actor, id: number, input: PersonInput, version?: string): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await personSnapshot(trx, id);
    await updateVersioned(trx, 'people', id, personColumns(input.fields), version);
    await setPersonSkills(trx, id, input.skills);
    await setPersonTags(trx, id, input.tags);
    await reindexPeople(trx, [id]);
    await recordUpdate(trx, actor, 'person', id, before ?? {}, (await personSnapshot(trx, id)) ?? {});
  });
}

export async function deletePerson(db: Knex, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (trx) => {
    const before = await personSnapshot(trx, id);
    await forgetMergeTraces(trx, id); // undo copies of records merged into this person go with them
    await trx('people').where({ id }).del();
    await deleteSearchDocs(trx, [id]);
    await recordAudit(trx, actor, { action: 'delete', entityType: 'person', entityId: id, changes: before ?? {} });
  });
}

export interface PersonCounts {
  engagements: number;
  /** organisations whose history (their projects' engagements) loses this person */
  organisations: number;
  consents: number;
}

export async function personDeleteImpact(db: Knex, id: number): Promise<PersonCounts> {
  const e = await db('engagements').where({ person_id: id }).count<{ n: number }>({ n: '*' }).first();
  const c = await db('consents').where({ person_id: id }).count<{ n: number }>({ n: '*' }).first();
  const o = await db('engagements').join('projects', 'projects.id', 'engagements.project_id').where({ 'engagements.person_id': id })
    .countDistinct<{ n: number }>({ n: 'projects.organisation_id' }).first();
  return { engagements: Number(e?.n ?? 0), organisations: Number(o?.n ?? 0), consents: Number(c?.n ?? 0) };
}

export interface PersonEngagement {
  id: number;
  project_id: number;
  project_title: string;
  project_kind: string;
  organisation_id: number;
  organisation_name: string;
  role: string | null;
  start_date: string | null;
  end_date: string | null;
  hours: number | null;
  rating: number | null;
  handover: string | null;
}

/** A person's engagements, most recent first. */
export function personEngagements(db: Knex, personId: number): Promise<PersonEngagement[]> {
  return PERSON_ENGAGEMENTS.run(db, personId);
}

export const PERSON_ENGAGEMENTS = new PreparedRead<[number], PersonEngagement[]>((db, personId) => db('engagements as e')
  .join('projects as p', 'p.id', 'e.project_id')
  .join('organisations as o', 'o.id', 'p.organisation_id')
  .where('e.person_id', personId)
  .orderByRaw('coalesce(e.end_date, e.start_date, p.end_date, p.start_date) desc nulls first, e.id desc')
  .select('e.id', 'e.project_id', 'p.title as project_title', 'p.kind as project_kind', 'o.id as organisation_id',
    'o.name as organisation_name', 'e.role', 'e.start_date', 'e.end_date', 'e.hours', 'e.rating', 'e.handover'));

type EvidenceRow = { skill_id: number; project_id: number; title: string; date: string | null };

export const SKILL_EVIDENCE = new PreparedRead<[number], EvidenceRow[]>((db, personId) => db('engagements as e')
  .join('projects as p', 'p.id', 'e.project_id')
  .join('project_skills as pk', 'pk.project_id', 'p.id')
  .join('person_skills as ps', function () {
    this.on('ps.skill_id', '=', 'pk.skill_id').andOn('ps.person_id', '=', 'e.person_id');
  })
  .where('e.person_id', personId)
  .orderByRaw('coalesce(e.end_date, e.start_date) desc nulls last')
  .select('pk.skill_id', 'p.id as project_id', 'p.title', db.raw('coalesce(e.end_date, e.start_date) as date')));

/** Evidence for each of a person's skills: the projects (needing that skill) they worked on, most recent first. */
export async function skillEvidence(db: Knex, personId: number): Promise<Map<number, { project_id: number; title: string; date: string | null }[]>> {
  return evidenceBySkill(await SKILL_EVIDENCE.run(db, personId));
}

/** SKILL_EVIDENCE's rows by skill, each project once. */
export function evidenceBySkill(rows: EvidenceRow[]): Map<number, { project_id: number; title: string; date: string | null }[]> {
  const out = new Map<number, { project_id: number; title: string; date: string | null }[]>();
  for (const r of rows) {
    const list = out.get(r.skill_id) ?? [];
    if (!list.some((x) => x.project_id === r.project_id)) list.push({ project_id: r.project_id, title: r.title, date: r.date });
    out.set(r.skill_id, list);
  }
  return out;
}

export interface PersonPage {
  person: PersonRow;
  skills: PersonSkill[];
  tags: string[];
  engagements: PersonEngagement[];
  evidence: Map<number, { project_id: number; title: string; date: string | null }[]>;
  /** null: the reader may not see the history */
  history: AuditRow[] | null;
  consents: ConsentRow[];
  lastMerge: { id: number; created_at: string; names: string } | undefined;
  /** English → German skill names, for a German page */
  skillNames: Record<string, string> | null;
}

/** What a person's page shows, read in one go (readTogether); undefined when there is no such person. */
export async function personPage(db: Knex, id: number, reader: { role: Role | undefined; locale: string }): Promise<PersonPage | undefined> {
  const historyRead = visibleHistoryRead(reader.role, 'person', id);
  const optional = [historyRead, reader.locale === 'de' ? GERMAN_SKILL_NAMES.with() : null];
  const [person, skills, tags, engagements, evidence, consents, merge, ...rest] = await readTogether(db, [
    PERSON.with(id), PERSON_SKILLS.with(id), PERSON_TAGS.with(id), PERSON_ENGAGEMENTS.with(id), SKILL_EVIDENCE.with(id),
    PERSON_CONSENTS.with(id), LAST_MERGE.with(id), ...optional.filter((r) => r !== null),
  ] as const);
  if (!person) return undefined;
  const history = historyRead ? historyRows(rest.shift()) : null;
  const skillNames = optional[1] ? germanNamesOf(rest.shift() as { name: string; name_de: string }[]) : null;
  return {
    person, skills, tags, engagements, evidence: evidenceBySkill(evidence), history, consents,
    lastMerge: await undoableMergeOf(db, merge), skillNames,
  };
}
