// The SQL of an import run: prepared statements on the raw better-sqlite3 connection, used inside the one
// transaction of a batch (knex per row would be several times slower for 100,000 rows).
import type { Database, Statement } from 'better-sqlite3';
import { emailHash } from '../privacy/privacy.domain.js';
import { listKey } from './mapping.domain.js';
import { personColumns, type PersonFields } from '../people/people.domain.js';
import { buildPersonDoc } from '../search/search.domain.js';
import type { Actor } from '../audit/audit.queries.js';
import { IMPORT_FIELDS, type ImportField } from './rows.domain.js';

export interface StoredPerson extends Record<ImportField, string | null> {
  id: number;
  updated_at: string;
}

const PERSON_COLS = `id, ${IMPORT_FIELDS.join(', ')}, updated_at`;
const INSERT_COLS = [
  'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'country', 'languages', 'kind', 'availability',
  'organisation', 'job_title', 'portfolio_url', 'notes', 'do_not_contact', 'last_confirmed_at',
  'email_norm', 'name_norm', 'phone_norm', 'city_norm', 'created_by_user_id', 'created_by_batch_id', 'created_at', 'updated_at',
];

export class ImportStore {
  private readonly s: Record<string, Statement>;
  private readonly skillIds = new Map<string, number | null>();
  /** the same, by the spelling in the file (saves folding a name every row) */
  private readonly skillByRaw = new Map<string, number | null>();
  private readonly skillNames = new Map<number, string[]>();
  private readonly skillDe = new Map<number, string>();
  private readonly tagIds = new Map<string, number>();
  private readonly tagNames = new Map<number, string>();
  batchId: number | null = null;
  /** most networks never erased anyone: then no row needs hashing */
  private readonly anySuppressed: boolean;
  private createAudit = '';
  private firstNewId = 0;

  constructor(private readonly conn: Database, private readonly now: string, private readonly actor: Actor) {
    const p = (sql: string) => conn.prepare(sql);
    this.s = {
      // an e-mail of someone merged away (person_email_aliases) still finds the person they were merged into
      byEmail: p(`select ${PERSON_COLS} from people where email_norm = ?
        union all select ${PERSON_COLS} from people where id = (select person_id from person_email_aliases where email_norm = ?) limit 1`),
      byName: p(`select ${PERSON_COLS} from people where email_norm is null and name_norm = ? and coalesce(phone_norm, '') = ? order by id limit 1`),
      byNameLike: p(`select ${PERSON_COLS} from people where email_norm is null and name_norm like ? escape '\\' and coalesce(phone_norm, '') = ? order by id limit 5`),
      suppressed: p('select 1 from suppressions where email_hash = ?'),
      personSkills: p('select skill_id, level from person_skills where person_id = ?'),
      personTags: p('select tag_id from person_tags where person_id = ?'),
      skillByName: p('select id from skills where name_norm = ?'),
      skillByAlias: p('select skill_id as id from skill_aliases where alias_norm = ?'),
      skillNames: p('select s.name, s.name_de, a.alias from skills s left join skill_aliases a on a.skill_id = s.id where s.id = ?'),
      insertSkill: p('insert into skills (name, name_norm, created_at, updated_at) values (?, ?, ?, ?)'),
      tagByName: p('select id, name from tags where name_norm = ?'),
      tagName: p('select name from tags where id = ?'),
      insertTag: p('insert into tags (name, name_norm) values (?, ?)'),
      insertPerson: p(`insert into people (${INSERT_COLS.join(', ')}) values (${INSERT_COLS.map(() => '?').join(', ')})`),
      updatePerson: p(`update people set ${IMPORT_FIELDS.map((f) => `${f} = ?`).join(', ')}, email_norm = ?, name_norm = ?, phone_norm = ?, city_norm = ?, updated_at = ? where id = ?`),
      addSkill: p('insert into person_skills (person_id, skill_id, level) values (?, ?, ?)'),
      setLevel: p('update person_skills set level = ? where person_id = ? and skill_id = ?'),
      addTag: p('insert or ignore into person_tags (person_id, tag_id) values (?, ?)'),
      ftsDelete: p('delete from people_fts where rowid = ?'),
      ftsInsert: p('insert into people_fts (rowid, doc) values (?, ?)'),
      change: p('insert into import_changes (batch_id, person_id, action, before, after, applied_at) values (?, ?, ?, ?, ?, ?)'),
      audit: p(`insert into audit_log (user_id, actor, action, entity_type, entity_id, source, changes, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`),
      byId: p(`select ${PERSON_COLS} from people where id = ?`),
      delSkill: p('delete from person_skills where person_id = ? and skill_id = ?'),
      delTag: p('delete from person_tags where person_id = ? and tag_id = ?'),
      batch: p(`insert into import_batches (user_id, source, entity, filename, policy, mapping, status, created_at) values (?, ?, 'people', ?, ?, ?, 'running', ?)`),
      anySuppressed: p('select exists (select 1 from suppressions) as any'),
      maxPerson: p('select coalesce(max(id), 0) as id from people'),
      auditCreated: p(`insert into audit_log (user_id, actor, action, entity_type, entity_id, source, changes, created_at)
        select ?, ?, 'import', 'person', id, ?, ?, ? from people where id > ? and created_by_batch_id = ? order by id`),
      finish: p(`update import_batches set status = 'committed', rows = ?, created = ?, updated = ?, unchanged = ?, skipped = ?, errors = ? where id = ?`),
    };
    this.anySuppressed = Boolean((this.s.anySuppressed!.get() as { any: number }).any);
  }

  startBatch(filename: string, policy: string, mapping: unknown): number {
    this.firstNewId = (this.s.maxPerson!.get() as { id: number }).id;
    const r = this.s.batch!.run(this.actor.userId, this.actor.source === 'cli' ? 'cli' : 'web', filename.slice(0, 255), policy, JSON.stringify(mapping), this.now);
    this.batchId = Number(r.lastInsertRowid);
    this.createAudit = JSON.stringify({ batch: this.batchId, action: 'create' });
    return this.batchId;
  }

  finishBatch(c: { rows: number; created: number; updated: number; unchanged: number; skipped: number; errors: number }): void {
    this.auditCreated();
    this.s.finish!.run(c.rows, c.created, c.updated, c.unchanged, c.skipped, c.errors, this.batchId);
  }

  findByEmail(emailNorm: string): StoredPerson | undefined {
    return this.s.byEmail!.get(emailNorm, emailNorm) as StoredPerson | undefined;
  }

  findByNamePhone(nameNorm: string, phoneNorm: string): StoredPerson | undefined {
    return this.s.byName!.get(nameNorm, phoneNorm) as StoredPerson | undefined;
  }

  /** People without e-mail whose normalised name matches a LIKE pattern (lossy.domain wildcardPattern), same phone. */
  findByNameLike(pattern: string, phoneNorm: string): StoredPerson[] {
    return this.s.byNameLike!.all(pattern, phoneNorm) as StoredPerson[];
  }

  isSuppressed(email: string): boolean {
    if (!this.anySuppressed) return false;
    const h = emailHash(email); // the one hash of privacy: a drift would let erased people back in
    return h !== null && this.s.suppressed!.get(h) !== undefined;
  }

  personSkills(id: number): Map<number, number> {
    return new Map((this.s.personSkills!.all(id) as { skill_id: number; level: number }[]).map((r) => [r.skill_id, r.level]));
  }

  personTagIds(id: number): Set<number> {
    return new Set((this.s.personTags!.all(id) as { tag_id: number }[]).map((r) => r.tag_id));
  }

  /** An existing skill by name or alias (case- and accent-insensitive), or null. */
  findSkill(name: string): number | null {
    const byName = this.skillByRaw.get(name);
    if (byName !== undefined) return byName;
    const k = listKey(name);
    if (this.skillIds.has(k)) return this.skillIds.get(k)!;
    const row = (this.s.skillByName!.get(k) ?? this.s.skillByAlias!.get(k)) as { id: number } | undefined;
    const id = row ? row.id : null;
    this.skillIds.set(k, id);
    if (this.skillByRaw.size < 50_000) this.skillByRaw.set(name, id);
    return id;
  }

  /** Creates a skill without a category and records it on the batch, so an undo can remove it again. */
  createSkill(name: string): number {
    const k = listKey(name);
    const id = Number(this.s.insertSkill!.run(name.trim(), k, this.now, this.now).lastInsertRowid);
    this.skillIds.set(k, id);
    this.skillByRaw.clear();
    this.s.change!.run(this.batchId, null, 'skill', null, JSON.stringify({ skill_id: id, name }), this.now);
    this.audit('create', 'skill', id, { name, batch: this.batchId });
    return id;
  }

  /** A tag by name, created when new (tags are free lists). */
  tagId(name: string, create: boolean): number | null {
    const k = listKey(name);
    const cached = this.tagIds.get(k);
    if (cached !== undefined) return cached;
    const row = this.s.tagByName!.get(k) as { id: number; name: string } | undefined;
    if (row) {
      this.tagIds.set(k, row.id);
      this.tagNames.set(row.id, row.name);
      return row.id;
    }
    if (!create) return null;
    const id = Number(this.s.insertTag!.run(name.trim(), k).lastInsertRowid);
    this.tagIds.set(k, id);
    this.tagNames.set(id, name.trim());
    this.s.change!.run(this.batchId, null, 'tag', null, JSON.stringify({ tag_id: id, name }), this.now);
    return id;
  }

  /** A skill's name as the interface language shows it: the German name where one is set. */
  skillLabel(id: number, lang = 'en'): string {
    const names = this.namesOfSkill(id);
    return (lang === 'de' ? this.skillDe.get(id) : null) ?? names[0] ?? String(id);
  }

  tagLabel(id: number): string {
    let n = this.tagNames.get(id);
    if (n === undefined) {
      n = (this.s.tagName!.get(id) as { name: string } | undefined)?.name ?? String(id);
      this.tagNames.set(id, n);
    }
    return n;
  }

  private namesOfSkill(id: number): string[] {
    let names = this.skillNames.get(id);
    if (!names) {
      const set = new Set<string>();
      for (const r of this.s.skillNames!.all(id) as { name: string; name_de: string | null; alias: string | null }[]) {
        if (r.name_de) this.skillDe.set(id, r.name_de);
        for (const n of [r.name, r.name_de, r.alias]) if (n) set.add(n);
      }
      names = [...set];
      this.skillNames.set(id, names);
    }
    return names;
  }

  insertPerson(f: PersonFields): number {
    // positional values in INSERT_COLS order: a generic lookup per column costs more than the insert itself
    const n = personColumns(f);
    return Number(this.s.insertPerson!.run(
      f.first_name, f.last_name, n.email, f.phone, f.city, f.postcode, f.country, f.languages, f.kind, f.availability,
      f.organisation, f.job_title, f.portfolio_url, f.notes, f.do_not_contact ? 1 : 0, f.last_confirmed_at,
      n.email_norm, n.name_norm, n.phone_norm, n.city_norm, this.actor.userId, this.batchId, this.now, this.now,
    ).lastInsertRowid);
  }

  updatePerson(id: number, fields: PersonFields): void {
    const cols = personColumns(fields);
    this.s.updatePerson!.run(...IMPORT_FIELDS.map((f) => cols[f] ?? null), cols.email_norm, cols.name_norm, cols.phone_norm, cols.city_norm, this.now, id);
  }

  addSkill(personId: number, skillId: number, level: number): void {
    this.s.addSkill!.run(personId, skillId, level);
  }

  setLevel(personId: number, skillId: number, level: number): void {
    this.s.setLevel!.run(level, personId, skillId);
  }

  addTag(personId: number, tagId: number): void {
    this.s.addTag!.run(personId, tagId);
  }

  /** Rewrites the person's search document from what the run knows (the same document reindexPeople builds). */
  reindex(id: number, f: PersonFields, skillIds: Iterable<number>, tagIds: Iterable<number>, fresh = false): void {
    // each skill contributes its names and aliases, joined once per skill and cached
    const skillNames: string[] = [];
    for (const s of skillIds) skillNames.push(this.skillDocPart(s));
    const tags: string[] = [];
    for (const t of tagIds) tags.push(this.tagLabel(t));
    if (!fresh) this.s.ftsDelete!.run(id);
    this.s.ftsInsert!.run(id, buildPersonDoc({
      first_name: f.first_name, last_name: f.last_name, email: f.email, city: f.city, organisation: f.organisation,
      job_title: f.job_title, notes: f.notes, tags, skillNames,
    }));
  }

  private readonly skillDocParts = new Map<number, string>();

  private skillDocPart(id: number): string {
    let part = this.skillDocParts.get(id);
    if (part === undefined) {
      part = this.namesOfSkill(id).join(' \n ');
      this.skillDocParts.set(id, part);
    }
    return part;
  }

  /**
   * The audit entries of everyone the batch created, in one statement at its end (people ids only grow,
   * so they are the ids above the largest before the batch; people.created_by_batch_id is their change record).
   */
  private auditCreated(): void {
    this.s.auditCreated!.run(this.actor.userId, this.actor.label, this.actor.source, this.createAudit, this.now, this.firstNewId, this.batchId);
  }

  /** One change record (enough to undo it) and one audit entry for a person the batch created or changed. */
  record(personId: number, action: 'update', before: unknown, after: unknown, audit: Record<string, unknown>): void {
    this.s.change!.run(this.batchId, personId, action, before === null ? null : JSON.stringify(before), after === null ? null : JSON.stringify(after), this.now);
    this.audit('import', 'person', personId, { batch: this.batchId, ...audit });
  }

  /** An audit entry by the store's actor (source 'import' while importing, the user's own when undoing). */
  audit(action: string, entityType: string, id: number, changes: Record<string, unknown>): void {
    this.s.audit!.run(this.actor.userId, this.actor.label, action, entityType, id, this.actor.source, JSON.stringify(changes), this.now);
  }

  findById(id: number): StoredPerson | undefined {
    return this.s.byId!.get(id) as StoredPerson | undefined;
  }

  removeSkill(personId: number, skillId: number): void {
    this.s.delSkill!.run(personId, skillId);
  }

  removeTag(personId: number, tagId: number): void {
    this.s.delTag!.run(personId, tagId);
  }
}
