// The queries of a people import, through knex so they run on SQLite and PostgreSQL. A run writes in short
// transactions (runBatch hands each step its `q`); rows that belong together (skill and tag links, change
// records, audit entries, search index) are collected and written once per step. A dry run writes nothing:
// what it would create lives in memory (negative ids), so later rows see it just as a real run would.
import type { Knex } from 'knex';
import { reserveIds, reservedIdsOutliveTransaction } from '../db.js';
import { emailHash } from '../privacy/privacy.domain.js';
import { listKey } from './mapping.domain.js';
import { personColumns, type PersonFields } from '../people/people.domain.js';
import { reindexPeople } from '../search/index.queries.js';
import { auditRow, insertAuditRows, type Actor } from '../audit/audit.queries.js';
import { IMPORT_FIELDS, type ImportField } from './rows.domain.js';

export interface StoredPerson extends Record<ImportField, string | null> {
  id: number;
  updated_at: string;
}

const PERSON_COLS = ['id', ...IMPORT_FIELDS, 'updated_at'];
const INSERT_SLICE = 100;
/** New people's ids taken from the sequence at a time (PostgreSQL; see insertPerson). */
const RESERVE_IDS = 500;

/** Inserts rows in slices (bound-parameter limits), in the order given. */
export async function insertRows(q: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_SLICE) await q(table).insert(rows.slice(i, i + INSERT_SLICE));
}

async function insertId(q: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await q(table).insert(row).returning('id');
  return Number(typeof r === 'object' ? r.id : r);
}

export class ImportWriter {
  /** the current step's transaction (or the database itself in a dry run) */
  q: Knex;
  batchId: number | null = null;
  private fake = 0;
  private readonly skillIds = new Map<string, number | null>();
  private readonly skillNames = new Map<number, string[]>();
  private readonly skillDe = new Map<number, string>();
  /** every skill name and alias, and every tag, by list key (loadNames): which names exist, known synchronously */
  private readonly skillKeys = new Set<string>();
  private readonly tagKeys = new Set<string>();
  private readonly tagIds = new Map<string, number>();
  private readonly tagNames = new Map<number, string>();
  /** people this run created, by e-mail and by name+phone (the ones without e-mail) */
  private readonly createdByEmail = new Map<string, number>();
  /** ids reserved for new people, and the new people not written yet (written together at the step's end) */
  private reservedIds: number[] = [];
  private pendingPeople: Record<string, unknown>[] = [];
  private readonly createdByName = new Map<string, number>();
  private anySuppressed: boolean | null = null;
  /** what prefetch() found for the step's rows (null: looked up, not there) */
  private pre = { email: new Map<string, StoredPerson | null>(), name: new Map<string, StoredPerson | null>(), skills: new Map<number, Map<number, number>>(), tags: new Map<number, Set<number>>() };
  private links: { skills: Record<string, unknown>[]; tags: Record<string, unknown>[]; changes: Record<string, unknown>[]; audit: Record<string, unknown>[]; touched: Set<number> } = this.emptyLinks();

  constructor(db: Knex, readonly now: string, private readonly actor: Actor, readonly dryRun: boolean) {
    this.q = db;
  }

  /** The next step's query builder (a transaction). SQLite's reserved ids held only in the step that took them. */
  useStep(q: Knex): void {
    if (!reservedIdsOutliveTransaction(q)) this.reservedIds = [];
    this.q = q;
  }

  private emptyLinks() {
    return { skills: [], tags: [], changes: [], audit: [], touched: new Set<number>() };
  }

  /** Loads the keys of every skill name, alias and tag (a few thousand strings), for knownSkill/knownTag. */
  async loadNames(): Promise<void> {
    for (const k of await this.q('skills').pluck('name_norm')) this.skillKeys.add(k);
    for (const k of await this.q('skill_aliases').pluck('alias_norm')) this.skillKeys.add(k);
    for (const k of await this.q('tags').pluck('name_norm')) this.tagKeys.add(k);
  }

  knownSkill(name: string): boolean {
    return this.skillKeys.has(listKey(name));
  }

  knownTag(name: string): boolean {
    return this.tagKeys.has(listKey(name));
  }

  async startBatch(entity: 'people' | 'engagements', filename: string, policy: string, mapping: unknown): Promise<number> {
    this.batchId = await insertId(this.q, 'import_batches', {
      user_id: this.actor.userId, source: this.actor.source === 'cli' ? 'cli' : 'web', entity, filename: filename.slice(0, 255), policy,
      mapping: JSON.stringify(mapping), status: 'running', created_at: this.now,
    });
    return this.batchId;
  }

  async finishBatch(c: { rows: number; created: number; updated: number; unchanged: number; skipped: number; errors: number }): Promise<void> {
    const { rows, created, updated, unchanged, skipped, errors } = c;
    await this.q('import_batches').where({ id: this.batchId }).update({ status: 'committed', rows, created, updated, unchanged, skipped, errors });
  }

  /** Writes what the step collected: links, change records, audit entries, then the search index of everyone touched. */
  async flush(): Promise<void> {
    const l = this.links;
    this.links = this.emptyLinks();
    if (this.dryRun) return;
    await this.writePendingPeople();
    await insertRows(this.q, 'person_skills', l.skills);
    for (let i = 0; i < l.tags.length; i += INSERT_SLICE) await this.q('person_tags').insert(l.tags.slice(i, i + INSERT_SLICE)).onConflict(['person_id', 'tag_id']).ignore();
    await insertRows(this.q, 'import_changes', l.changes);
    await insertAuditRows(this.q, l.audit);
    if (l.touched.size) await reindexPeople(this.q, [...l.touched]);
  }

  /** The people this step created on reserved ids, written now (before anything that refers to them or looks people up). */
  private async writePendingPeople(): Promise<void> {
    if (!this.pendingPeople.length) return;
    const rows = this.pendingPeople;
    this.pendingPeople = [];
    await insertRows(this.q, 'people', rows);
  }

  /** Looks up the people (and their skills and tags) a step's rows may match, in a few queries instead of several per row. */
  async prefetch(keys: ({ email: string } | { name: string; phone: string })[]): Promise<void> {
    const pre = (this.pre = { email: new Map(), name: new Map(), skills: new Map(), tags: new Map() });
    const emails = [...new Set(keys.flatMap((k) => ('email' in k && !this.createdByEmail.has(k.email) ? [k.email] : [])))];
    const names = [...new Set(keys.flatMap((k) => ('name' in k ? [k.name] : [])))];
    const found: StoredPerson[] = [];
    for (let i = 0; i < emails.length; i += 500) {
      for (const p of await this.q('people').whereIn('email_norm', emails.slice(i, i + 500)).select([...PERSON_COLS, 'email_norm'])) {
        pre.email.set(p.email_norm, p);
        found.push(p);
      }
    }
    // an e-mail of someone merged away (person_email_aliases) still finds the person they were merged into
    const missing = emails.filter((e) => !pre.email.has(e));
    for (let i = 0; i < missing.length; i += 500) {
      const rows = await this.q('person_email_aliases as a').join('people as p', 'p.id', 'a.person_id').whereIn('a.email_norm', missing.slice(i, i + 500))
        .select([...PERSON_COLS.map((c) => `p.${c}`), 'a.email_norm as alias_norm']);
      for (const r of rows) {
        const { alias_norm: alias, ...person } = r;
        pre.email.set(alias, person);
        found.push(person);
      }
    }
    for (const e of emails) if (!pre.email.has(e)) pre.email.set(e, null);
    for (let i = 0; i < names.length; i += 500) {
      const rows = await this.q('people').whereNull('email_norm').whereIn('name_norm', names.slice(i, i + 500)).orderBy('id').select([...PERSON_COLS, 'name_norm', 'phone_norm']);
      for (const p of rows) {
        const k = `${p.name_norm}\u0000${p.phone_norm ?? ''}`;
        if (!pre.name.has(k)) {
          pre.name.set(k, p);
          found.push(p);
        }
      }
    }
    for (const k of keys) if ('name' in k && !pre.name.has(`${k.name}\u0000${k.phone}`)) pre.name.set(`${k.name}\u0000${k.phone}`, null);
    const ids = found.map((p) => p.id);
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      for (const id of part) {
        pre.skills.set(id, new Map());
        pre.tags.set(id, new Set());
      }
      for (const r of await this.q('person_skills').whereIn('person_id', part).select('person_id', 'skill_id', 'level')) pre.skills.get(r.person_id)!.set(r.skill_id, r.level);
      for (const r of await this.q('person_tags').whereIn('person_id', part).select('person_id', 'tag_id')) pre.tags.get(r.person_id)!.add(r.tag_id);
    }
  }

  async findByEmail(emailNorm: string): Promise<StoredPerson | undefined> {
    const made = this.createdByEmail.get(emailNorm);
    if (made !== undefined) return { id: made } as StoredPerson;
    const pre = this.pre.email.get(emailNorm);
    if (pre !== undefined) return pre ?? undefined;
    await this.writePendingPeople();
    return (await this.q('people').where({ email_norm: emailNorm }).first(PERSON_COLS))
      ?? this.q('people').whereIn('id', this.q('person_email_aliases').where({ email_norm: emailNorm }).select('person_id')).first(PERSON_COLS);
  }

  async findByNamePhone(nameNorm: string, phoneNorm: string): Promise<StoredPerson | undefined> {
    const made = this.createdByName.get(`${nameNorm}\u0000${phoneNorm}`);
    if (made !== undefined) return { id: made } as StoredPerson;
    const pre = this.pre.name.get(`${nameNorm}\u0000${phoneNorm}`);
    if (pre !== undefined) return pre ?? undefined;
    await this.writePendingPeople();
    return this.q('people').whereNull('email_norm').where({ name_norm: nameNorm })
      .where((w) => (phoneNorm ? w.where({ phone_norm: phoneNorm }) : w.whereNull('phone_norm').orWhere({ phone_norm: '' })))
      .orderBy('id').first(PERSON_COLS);
  }

  /** People without e-mail whose normalised name matches a LIKE pattern (lossy.domain wildcardPattern), same phone. */
  async findByNameLike(pattern: string, phoneNorm: string): Promise<StoredPerson[]> {
    await this.writePendingPeople();
    return this.q('people').whereNull('email_norm').whereRaw("name_norm like ? escape '\\'", [pattern])
      .where((w) => (phoneNorm ? w.where({ phone_norm: phoneNorm }) : w.whereNull('phone_norm').orWhere({ phone_norm: '' })))
      .orderBy('id').limit(5).select(PERSON_COLS);
  }

  async findById(id: number): Promise<StoredPerson | undefined> {
    await this.writePendingPeople();
    return this.q('people').where({ id }).first(PERSON_COLS);
  }

  async isSuppressed(email: string): Promise<boolean> {
    if (this.anySuppressed === null) this.anySuppressed = Boolean(await this.q('suppressions').first('email_hash'));
    if (!this.anySuppressed) return false;
    const h = emailHash(email); // the one hash of privacy: a drift would let erased people back in
    return h !== null && Boolean(await this.q('suppressions').where({ email_hash: h }).first('email_hash'));
  }

  async personSkills(id: number): Promise<Map<number, number>> {
    const pre = this.pre.skills.get(id);
    if (pre) return pre;
    const rows = await this.q('person_skills').where({ person_id: id }).select('skill_id', 'level');
    return new Map(rows.map((r) => [r.skill_id, r.level]));
  }

  async personTagIds(id: number): Promise<Set<number>> {
    const pre = this.pre.tags.get(id);
    if (pre) return pre;
    return new Set(await this.q('person_tags').where({ person_id: id }).pluck('tag_id'));
  }

  /** An existing skill by name or alias (case- and accent-insensitive), or null. */
  async findSkill(name: string): Promise<number | null> {
    const k = listKey(name);
    const cached = this.skillIds.get(k);
    if (cached !== undefined) return cached;
    const row = (await this.q('skills').where({ name_norm: k }).first('id'))
      ?? (await this.q('skill_aliases').where({ alias_norm: k }).first('skill_id as id'));
    const id = row ? Number(row.id) : null;
    if (this.skillIds.size > 50_000) this.skillIds.clear();
    this.skillIds.set(k, id);
    return id;
  }

  /** Creates a skill without a category and records it on the batch, so an undo can remove it again. */
  async createSkill(name: string): Promise<number> {
    const k = listKey(name);
    const id = this.dryRun ? --this.fake : await insertId(this.q, 'skills', { name: name.trim(), name_norm: k, created_at: this.now, updated_at: this.now });
    this.skillIds.set(k, id);
    this.skillKeys.add(k);
    this.skillNames.set(id, [name.trim()]);
    this.change(null, 'skill', null, { skill_id: id, name });
    this.audit('create', 'skill', id, { batch: this.batchId, name });
    return id;
  }

  /** A tag by name, created when new (tags are free lists); null when it is new and `create` is false. */
  async tagId(name: string, create: boolean): Promise<number | null> {
    const k = listKey(name);
    const cached = this.tagIds.get(k);
    if (cached !== undefined) return cached;
    const row = await this.q('tags').where({ name_norm: k }).first('id', 'name');
    if (row) {
      this.tagIds.set(k, row.id);
      this.tagNames.set(row.id, row.name);
      return row.id;
    }
    if (!create) return null;
    const id = this.dryRun ? --this.fake : await insertId(this.q, 'tags', { name: name.trim(), name_norm: k });
    this.tagIds.set(k, id);
    this.tagKeys.add(k);
    this.tagNames.set(id, name.trim());
    this.change(null, 'tag', null, { tag_id: id, name });
    return id;
  }

  /** A skill's name as the interface language shows it: the German name where one is set. */
  async skillLabel(id: number, lang = 'en'): Promise<string> {
    let names = this.skillNames.get(id);
    if (!names) {
      const set = new Set<string>();
      const rows = await this.q('skills as s').leftJoin('skill_aliases as a', 'a.skill_id', 's.id').where('s.id', id).select('s.name', 's.name_de', 'a.alias');
      for (const r of rows) {
        if (r.name_de) this.skillDe.set(id, r.name_de);
        for (const n of [r.name, r.name_de, r.alias]) if (n) set.add(n);
      }
      names = [...set];
      this.skillNames.set(id, names);
    }
    return (lang === 'de' ? this.skillDe.get(id) : null) ?? names[0] ?? String(id);
  }

  async tagLabel(id: number): Promise<string> {
    let n = this.tagNames.get(id);
    if (n === undefined) {
      n = (await this.q('tags').where({ id }).first('name'))?.name ?? String(id);
      this.tagNames.set(id, n!);
    }
    return n!;
  }

  async insertPerson(f: PersonFields): Promise<number> {
    const cols = personColumns(f);
    const row = { ...cols, created_by_user_id: this.actor.userId, created_by_batch_id: this.batchId, created_at: this.now, updated_at: this.now };
    let id: number;
    if (this.dryRun) id = --this.fake;
    else {
      // ids reserved ahead (PostgreSQL's sequence; SQLite's next AUTOINCREMENT ids inside the step's transaction), the
      // rows written together at the step's end (flush) in multi-row inserts
      if (!this.reservedIds.length) {
        // the people waiting on ids reserved before are written first: SQLite reserves from the highest id written
        await this.writePendingPeople();
        this.reservedIds = (await reserveIds(this.q, 'people', RESERVE_IDS)) ?? [];
      }
      const reserved = this.reservedIds.shift();
      if (reserved === undefined) id = await insertId(this.q, 'people', row);
      else {
        id = reserved;
        this.pendingPeople.push({ id, ...row });
      }
    }
    if (cols.email_norm) this.createdByEmail.set(String(cols.email_norm), id);
    else this.createdByName.set(`${cols.name_norm ?? ''}\u0000${cols.phone_norm ?? ''}`, id);
    this.audit('import', 'person', id, { batch: this.batchId, action: 'create' });
    this.links.touched.add(id);
    return id;
  }

  async updatePerson(id: number, fields: PersonFields): Promise<void> {
    if (this.dryRun) return;
    await this.writePendingPeople();
    const cols = personColumns(fields);
    await this.q('people').where({ id }).update({
      ...Object.fromEntries(IMPORT_FIELDS.map((f) => [f, cols[f] ?? null])),
      email_norm: cols.email_norm, name_norm: cols.name_norm, phone_norm: cols.phone_norm, city_norm: cols.city_norm, updated_at: this.now,
    });
    this.links.touched.add(id);
  }

  addSkill(personId: number, skillId: number, level: number): void {
    this.links.skills.push({ person_id: personId, skill_id: skillId, level });
  }

  async setLevel(personId: number, skillId: number, level: number): Promise<void> {
    if (!this.dryRun) await this.q('person_skills').where({ person_id: personId, skill_id: skillId }).update({ level });
  }

  addTag(personId: number, tagId: number): void {
    this.links.tags.push({ person_id: personId, tag_id: tagId });
  }

  /** One change record (enough to undo it), written with the step. */
  change(personId: number | null, action: string, before: unknown, after: unknown): void {
    this.links.changes.push({
      batch_id: this.batchId, person_id: personId, action, before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after), applied_at: this.now,
    });
  }

  /** An audit entry by the writer's actor; `changes` starts with the batch id (a rolled-back batch finds its entries by it). */
  audit(action: string, entityType: string, id: number, changes: Record<string, unknown>): void {
    this.links.audit.push(auditRow(this.actor, { action, entityType, entityId: id, changes }, this.now));
  }

  /** A change record and an audit entry for a person the batch changed. */
  record(personId: number, before: unknown, after: unknown, audit: Record<string, unknown>): void {
    this.change(personId, 'update', before, after);
    this.audit('import', 'person', personId, { batch: this.batchId, ...audit });
    this.links.touched.add(personId);
  }
}
