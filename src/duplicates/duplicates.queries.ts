// Reads for finding duplicates: everyone's matching columns (streamed in id order), the dismissed pairs,
// and the few candidates a single person (the form, an import row) is checked against, found by indexed keys.
import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js';
import { nowIso } from '../db.js';
import { recordAudit, type Actor } from '../audit/audit.queries.js';
import { getSetting } from '../settings/settings.queries.js';
import { normaliseEmail, normaliseName, normalisePhone } from '../shared/normalise.js';
import { isRegion } from './match.domain.js';
import { Blocks, KeyCounts } from './blocks.domain.js';
import { blockingKeys, features, namesakeKey, type Features, type MatchInput } from './score.domain.js';
import { countNamesakes, duplicatesOf, pairKey, scanBlocks, type Pair, type ScanResult } from './scan.domain.js';

export const PHONE_REGION_SETTING = 'phone_region';
const MATCH_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'country', 'organisation'] as const;
const CHUNK = 5000;

/** The region a phone number without a country code is read in when the person has no (known) country. */
export async function defaultPhoneRegion(db: Knex): Promise<CountryCode> {
  const v = ((await getSetting(db, PHONE_REGION_SETTING)) ?? '').toUpperCase();
  return isRegion(v) ? v : 'DE';
}

async function aliasesOf(db: Knex, ids: number[] | null): Promise<Map<number, string[]>> {
  const q = db('person_email_aliases').select('person_id', 'email');
  if (ids) q.whereIn('person_id', ids);
  const out = new Map<number, string[]>();
  for (const r of await q) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.email]);
  return out;
}

/** Everyone's matching rows (anonymised people hold no personal data and are left out), in id order, in chunks. */
async function forEachPerson(db: Knex, fn: (row: MatchInput) => void): Promise<void> {
  let after = 0;
  for (;;) {
    const rows: MatchInput[] = await db('people').where('id', '>', after).whereNull('anonymised_at')
      .orderBy('id').limit(CHUNK).select(...MATCH_COLUMNS);
    for (const r of rows) fn(r);
    if (rows.length < CHUNK) return;
    after = rows[rows.length - 1]!.id;
  }
}

/**
 * The scan in two passes over the table, so memory does not grow with everyone's normal forms: first everyone's
 * blocking keys into typed arrays, then the full features of only the people who share a block with somebody.
 */
async function scanTable(db: Knex, region: CountryCode, dismissed: ReadonlySet<string>): Promise<ScanResult> {
  const aliases = await aliasesOf(db, null);
  const blocks = new Blocks();
  const names = new KeyCounts();
  await forEachPerson(db, (r) => {
    const f = features({ ...r, aliases: aliases.get(r.id) }, region);
    blocks.add(r.id, blockingKeys(f));
    const k = namesakeKey(f);
    if (k) names.add(k);
  });
  blocks.seal();
  names.seal();
  const byPosition: (Features | undefined)[] = new Array(blocks.size);
  await forEachPerson(db, (r) => {
    const i = blocks.position(r.id);
    if (i < 0 || !blocks.needed[i]) return;
    const f = features({ ...r, aliases: aliases.get(r.id) }, region);
    countNamesakes(f, names);
    byPosition[i] = f;
  });
  return scanBlocks(blocks, (i) => byPosition[i], { dismissed, compared: () => { byPosition.length = 0; } });
}

export async function dismissedPairs(db: Knex): Promise<Set<string>> {
  const rows = await db('duplicate_dismissals').select('person_low', 'person_high');
  return new Set(rows.map((r) => pairKey(r.person_low, r.person_high)));
}

const lastScan = new WeakMap<Knex, { version: string; result: ScanResult }>();

/**
 * What a scan's result depends on: the change log every write to people moves on (search_changes), the dismissed
 * pairs and the phone region. Equal versions give the cached result, so reloading the list costs no second scan.
 */
async function scanVersion(db: Knex, region: string): Promise<string> {
  const seq = await db('search_changes').max({ seq: 'seq' }).first();
  const dismissed = await db('duplicate_dismissals').count<{ n: number }>({ n: '*' }).first();
  return `${seq?.seq ?? 0}:${dismissed?.n ?? 0}:${region}`;
}

/** The whole network's likely duplicates, dismissed pairs left out. */
export async function scanNetwork(db: Knex): Promise<ScanResult> {
  const region = await defaultPhoneRegion(db);
  const version = await scanVersion(db, region);
  const cached = lastScan.get(db);
  if (cached && cached.version === version) return cached.result;
  const result = await scanTable(db, region, await dismissedPairs(db));
  // a write while scanning moves the version on: then the next visit scans again
  lastScan.set(db, { version, result });
  return result;
}

export interface PersonBrief {
  id: number;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  updated_at: string;
}

/** Names and contact details to show beside a pair, by id. */
export async function briefs(db: Knex, ids: number[]): Promise<Map<number, PersonBrief>> {
  const out = new Map<number, PersonBrief>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db('people').whereIn('id', ids.slice(i, i + 500)).select('id', 'first_name', 'last_name', 'email', 'phone', 'city', 'updated_at');
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** Records "these are different people": the pair stays out of the list and the form's warning. */
export async function dismissPair(db: Knex, actor: Actor, a: number, b: number): Promise<void> {
  const [low, high] = a < b ? [a, b] : [b, a];
  await db.transaction(async (trx) => {
    await trx('duplicate_dismissals').insert({ person_low: low, person_high: high, user_id: actor.userId, created_at: nowIso() })
      .onConflict(['person_low', 'person_high']).ignore();
    await recordAudit(trx, actor, { action: 'dismiss', entityType: 'person', entityId: low, changes: { not_duplicate_of: high } });
  });
}

/** The forms of a name the person table's name_norm may hold for it: as typed, transliterated (ue = ü), swapped. */
function nameVariants(first: string | null, last: string | null): string[] {
  const forms = (s: string | null) => {
    const t = s ?? '';
    const de = t.replace(/ue/g, 'ü').replace(/oe/g, 'ö').replace(/ae/g, 'ä').replace(/Ue/g, 'Ü').replace(/Oe/g, 'Ö').replace(/Ae/g, 'Ä');
    const en = t.replace(/ü/g, 'ue').replace(/ö/g, 'oe').replace(/ä/g, 'ae').replace(/Ü/g, 'Ue').replace(/Ö/g, 'Oe').replace(/Ä/g, 'Ae');
    return [...new Set([t, de, en])];
  };
  const out = new Set<string>();
  for (const f of forms(first)) for (const l of forms(last)) {
    out.add(normaliseName(f, l));
    out.add(normaliseName(l, f));
  }
  out.delete('');
  return [...out];
}

/** A person as typed into a form or an import row: what the matcher reads, before they have an id. */
export type CandidateInput = Omit<MatchInput, 'id' | 'aliases'>;

const MAX_CANDIDATES = 300;

/**
 * The likely duplicates of one person as typed (the form, an import row, an offer of help): candidates come from
 * indexed lookups (e-mail and merged-away aliases, phone, the name's spellings), never a scan of everyone.
 */
export async function findDuplicatesFor(db: Knex, input: CandidateInput, exceptId: number | null = null): Promise<Pair[]> {
  const region = await defaultPhoneRegion(db);
  // each lookup reads the matching columns at once (one round trip per index, no second read by id)
  const rows = new Map<number, MatchInput>();
  const take = (list: MatchInput[]) => { for (const r of list) if (r.id !== exceptId) rows.set(r.id, r); };
  const alive = () => db('people').whereNull('anonymised_at');
  const email = normaliseEmail(input.email);
  if (email) {
    take(await alive().where({ email_norm: email }).select(...MATCH_COLUMNS));
    const owners = (await db('person_email_aliases').where({ email_norm: email }).select('person_id')).map((r) => r.person_id as number);
    if (owners.length) take(await alive().whereIn('id', owners).select(...MATCH_COLUMNS));
  }
  const phone = normalisePhone(input.phone);
  if (phone.length > 5) take(await alive().where({ phone_norm: phone }).limit(MAX_CANDIDATES).select(...MATCH_COLUMNS));
  const names = nameVariants(input.first_name, input.last_name);
  if (names.length) take(await alive().whereIn('name_norm', names).limit(MAX_CANDIDATES).select(...MATCH_COLUMNS));
  if (!rows.size) return [];
  const aliases = await aliasesOf(db, [...rows.keys()]);
  const candidates = [...rows.values()].map((r) => features({ ...r, aliases: aliases.get(r.id) }, region));
  const self = features({ id: exceptId ?? 0, ...input }, region);
  let found = duplicatesOf(self, candidates);
  if (exceptId !== null && found.length) {
    const dismissed = await db('duplicate_dismissals')
      .where((q) => q.where('person_low', exceptId).orWhere('person_high', exceptId)).select('person_low', 'person_high');
    const gone = new Set(dismissed.map((d) => (d.person_low === exceptId ? d.person_high : d.person_low)));
    found = found.filter((p) => !gone.has(p.b));
  }
  return found;
}

/** The person an e-mail belongs to, as their own or as the alias of someone merged into them. */
export async function personWithEmail(db: Knex, email: string | null, exceptId?: number): Promise<{ id: number; first_name: string; last_name: string } | undefined> {
  const norm = normaliseEmail(email);
  if (!norm) return undefined;
  const own = await db('people').where({ email_norm: norm }).modify((q) => exceptId && q.whereNot({ id: exceptId })).first('id', 'first_name', 'last_name');
  if (own) return own;
  return db('person_email_aliases as a').join('people as p', 'p.id', 'a.person_id').where('a.email_norm', norm)
    .modify((q) => exceptId && q.whereNot('p.id', exceptId)).first('p.id', 'p.first_name', 'p.last_name');
}

interface ImportSampleLike {
  action: string;
  contact?: Partial<Record<string, string>>;
  likely?: LikelyDuplicate;
}

/** The import preview's check: marks each new person of the sample who is probably someone already here; returns how many. */
export async function flagLikelyDuplicates(db: Knex, samples: ImportSampleLike[]): Promise<number> {
  let n = 0;
  for (const s of samples) {
    if (s.action !== 'create' || !s.contact) continue;
    const c = s.contact;
    const input: CandidateInput = {
      first_name: c.first_name ?? null, last_name: c.last_name ?? null, email: c.email ?? null, phone: c.phone ?? null,
      city: c.city ?? null, postcode: c.postcode ?? null, country: c.country ?? null, organisation: c.organisation ?? null,
    };
    const likely = await likelyDuplicateOf(db, input);
    if (!likely) continue;
    s.likely = likely;
    n++;
  }
  return n;
}

export interface LikelyDuplicate {
  id: number;
  name: string;
  score: number;
  reasons: { key: string; vars: Record<string, string> }[];
}

/** The existing person someone (an import row, an offer of help from /join) most probably is, or null. */
export async function likelyDuplicateOf(db: Knex, input: CandidateInput): Promise<LikelyDuplicate | null> {
  const best = (await findDuplicatesFor(db, input))[0];
  if (!best) return null;
  const p = (await briefs(db, [best.b])).get(best.b);
  if (!p) return null;
  return { id: p.id, name: `${p.first_name} ${p.last_name}`.trim(), score: best.score, reasons: best.reasons.map((r) => ({ key: r.key, vars: r.vars })) };
}
