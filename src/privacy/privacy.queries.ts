// Data protection reads and writes: consent records (append-only), suppression records of erased people,
// and one person's complete data for an access request.
import type { Knex } from 'knex';
import { nowIso, PreparedRead } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { normaliseEmail } from '../shared/normalise.js';
import { currentConsents, emailHash, type ConsentInput, type ConsentRow } from './privacy.domain.js';

/** A person's consent records, newest first, with who recorded each (the view derives the current state). */
export async function personConsents(db: Knex, personId: number): Promise<ConsentRow[]> {
  return PERSON_CONSENTS.run(db, personId);
}

export const PERSON_CONSENTS = new PreparedRead<[number], ConsentRow[]>((db, personId) => db('consents as c')
  .leftJoin('users as u', 'u.id', 'c.recorded_by_user_id')
  .where('c.person_id', personId)
  .orderBy('c.id', 'desc')
  .select('c.id', 'c.person_id', 'c.purpose', 'c.status', 'c.method', 'c.notice_text', 'c.recorded_by_user_id',
    db.raw("coalesce(nullif(u.name, ''), u.email) as recorded_by"), 'c.created_at'));

/** Appends one consent record (never updates one) and audits it on the person. */
export async function recordConsent(db: Knex, actor: Actor, personId: number, input: ConsentInput): Promise<number> {
  return db.transaction(async (trx) => {
    const [row] = await trx('consents').insert({
      person_id: personId, purpose: input.purpose, status: input.status, method: input.method,
      notice_text: input.noticeText, recorded_by_user_id: actor.userId, created_at: nowIso(),
    }).returning('id');
    const id: number = typeof row === 'object' ? row.id : row;
    await recordAudit(trx, actor, {
      action: 'consent', entityType: 'person', entityId: personId,
      changes: { consent_id: id, purpose: input.purpose, status: input.status, method: input.method },
    });
    return id;
  });
}

/** Withdraws a currently given consent by appending a 'withdrawn' record; false when it was not given. */
export async function withdrawConsent(db: Knex, actor: Actor, personId: number, purpose: string, method: string | null = null): Promise<boolean> {
  const rows = await db('consents').where({ person_id: personId, purpose }).select('id', 'purpose', 'status');
  const current = currentConsents(rows)[0];
  if (!current || current.status !== 'given') return false;
  await recordConsent(db, actor, personId, { purpose, status: 'withdrawn', method, noticeText: null });
  return true;
}

export interface Suppression {
  email_hash: string;
  erased_at: string;
}

/** The suppression record for an e-mail (any case or surrounding spaces), if that person was erased. */
export async function suppressionFor(db: Knex, email: string | null | undefined): Promise<Suppression | undefined> {
  const hash = emailHash(email);
  if (!hash) return undefined;
  return db('suppressions').where({ email_hash: hash }).first('email_hash', 'erased_at');
}

/** Was a person with this e-mail erased? Imports and the person form skip or refuse such e-mails. */
export async function isSuppressed(db: Knex, email: string | null | undefined): Promise<boolean> {
  return Boolean(await suppressionFor(db, email));
}

/** For many e-mails at once (an import): normalised e-mail → erased_at, for the suppressed ones only. */
export async function suppressionsFor(db: Knex, emails: (string | null | undefined)[]): Promise<Map<string, string>> {
  const byHash = new Map<string, string>();
  for (const e of emails) {
    const norm = normaliseEmail(e);
    const hash = emailHash(norm);
    if (norm && hash) byHash.set(hash, norm);
  }
  const out = new Map<string, string>();
  const hashes = [...byHash.keys()];
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await db('suppressions').whereIn('email_hash', hashes.slice(i, i + 500)).select('email_hash', 'erased_at');
    for (const r of rows) out.set(byHash.get(r.email_hash)!, r.erased_at);
  }
  return out;
}

/** Records (or refreshes) the suppression of an erased person's e-mail; nothing when there is no e-mail. */
export async function addSuppression(db: Knex, email: string | null | undefined, erasedAt = nowIso()): Promise<boolean> {
  const hash = emailHash(email);
  if (!hash) return false;
  await db('suppressions').insert({ email_hash: hash, erased_at: erasedAt }).onConflict('email_hash').merge();
  return true;
}

/** The person with this e-mail (normalised), for the CLI. */
export function findPersonByEmail(db: Knex, email: string): Promise<{ id: number; email: string | null } | undefined> {
  const norm = normaliseEmail(email);
  if (!norm) return Promise.resolve(undefined);
  return db('people').where({ email_norm: norm }).first('id', 'email');
}

const DERIVED_COLUMNS = new Set(['name_norm', 'email_norm', 'phone_norm', 'city_norm']);

export interface PersonDataExport {
  format: 'skillnet-person-data';
  version: 1;
  exported_at: string;
  person: Record<string, unknown>;
  skills: Record<string, unknown>[];
  tags: string[];
  /** e-mail addresses of records merged into this person (they still find them) */
  email_aliases: string[];
  engagements: Record<string, unknown>[];
  consents: Record<string, unknown>[];
  imports: Record<string, unknown>[];
  audit: Record<string, unknown>[];
}

/** The audit entries about a person: on the person and on their engagements. */
export function auditAboutQuery(db: Knex, personId: number, engagementIds: number[]): Knex.QueryBuilder {
  return db('audit_log').where((q) => {
    q.where({ entity_type: 'person', entity_id: personId });
    if (engagementIds.length) q.orWhere((q2) => q2.where('entity_type', 'engagement').whereIn('entity_id', engagementIds));
  });
}

/** Everything Skillnet holds about one person (access and portability request); undefined when unknown. */
export async function personDataExport(db: Knex, personId: number): Promise<PersonDataExport | undefined> {
  const person = await db('people').where({ id: personId }).first();
  if (!person) return undefined;
  for (const k of DERIVED_COLUMNS) delete person[k];
  const skills = await db('person_skills as ps').join('skills as s', 's.id', 'ps.skill_id').where('ps.person_id', personId)
    .orderBy([{ column: 'ps.level', order: 'desc' }, { column: 's.name' }])
    .select('s.name as skill', 's.name_de as skill_de', 'ps.level', 'ps.last_used_at');
  const tags = await db('person_tags as pt').join('tags as t', 't.id', 'pt.tag_id').where('pt.person_id', personId).orderBy('t.name').pluck('t.name');
  const emailAliases: string[] = await db('person_email_aliases').where({ person_id: personId }).orderBy('id').pluck('email');
  const engagements = await db('engagements as e').join('projects as p', 'p.id', 'e.project_id')
    .join('organisations as o', 'o.id', 'p.organisation_id').where('e.person_id', personId).orderBy('e.id')
    .select('e.id', 'p.title as project', 'o.name as organisation', 'e.role', 'e.start_date', 'e.end_date', 'e.hours',
      'e.paid', 'e.rate', 'e.outcome', 'e.feedback', 'e.rating', 'e.handover', 'e.created_at', 'e.updated_at');
  const consents = (await personConsents(db, personId)).reverse()
    .map((c) => ({ purpose: c.purpose, status: c.status, method: c.method, notice_text: c.notice_text, recorded_by: c.recorded_by, created_at: c.created_at }));
  const imports = await db('import_changes as ic').join('import_batches as b', 'b.id', 'ic.batch_id').where('ic.person_id', personId)
    .orderBy('ic.id').select('ic.batch_id', 'b.filename', 'ic.action', 'ic.applied_at');
  const audit = (await auditAboutQuery(db, personId, engagements.map((e) => e.id)).orderBy('id')
    .select('action', 'entity_type', 'entity_id', 'actor', 'source', 'changes', 'created_at'))
    .map((a: { changes: string | null }) => ({ ...a, changes: a.changes ? JSON.parse(a.changes) : null }));
  return { format: 'skillnet-person-data', version: 1, exported_at: nowIso(), person, skills, tags, email_aliases: emailAliases, engagements, consents, imports, audit };
}

/** Rows in an export (all list items plus the profile), as the audit log counts them. */
export function exportRowCount(data: PersonDataExport): number {
  return 1 + data.skills.length + data.tags.length + data.email_aliases.length + data.engagements.length + data.consents.length + data.imports.length + data.audit.length;
}

/** Audits an access request: who exported whose data, in which format, how many rows. */
export async function recordDataExport(db: Knex, actor: Actor, personId: number, format: 'json' | 'csv' | 'xlsx', rows: number): Promise<void> {
  await recordAudit(db, actor, { action: 'export', entityType: 'person', entityId: personId, changes: { kind: 'data-export', format, rows } });
}
