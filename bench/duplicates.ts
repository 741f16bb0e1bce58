// The duplicates figure: on a copy of the network, plant duplicates of each kind and look-alikes that are different
// people, then time the full scan (in a child process, for its own peak memory) against a bare exact-key GROUP BY
// over the same table, time the person form's check (p95), and print precision and recall on the planted set.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDb } from '../src/db.js';
import { personColumns, type PersonFields } from '../src/people/people.domain.js';
import { findDuplicatesFor } from '../src/duplicates/duplicates.queries.js';
import { foldGerman, foldPlain } from '../src/duplicates/match.domain.js';
import { log, percentile, ratio, round, runTimed } from './util.js';

export interface DuplicatesFigure {
  people: number;
  planted: number;
  lookalikes: number;
  app_s: number | null;
  raw_s: number;
  ratio: number | null;
  peak_rss_mb: number | null;
  door_p95_ms: number;
  precision: number | null;
  recall: number | null;
  /** flagged pairs among the demo people themselves (unlabelled: the generator may make real look-alikes) */
  other_pairs: number;
  /**
   * flagged pairs of a planted record without e-mail and phone and a demo person with the same folded name and city
   * as the record's source: nobody can tell which of the two it copies, so they count neither way in precision
   */
  namesakes: number;
  status: string;
}

const KINDS = ['gmail', 'tag', 'phone', 'transliteration', 'swapped'] as const;
const UMLAUTS: [RegExp, string][] = [[/ü/g, 'ue'], [/ö/g, 'oe'], [/ä/g, 'ae'], [/ß/g, 'ss']];
const ascii = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '');

interface Row { id: number; first_name: string; last_name: string; city: string | null; postcode: string | null; country: string | null; updated_at: string }

function fields(f: Partial<PersonFields>): PersonFields {
  return {
    first_name: '', last_name: '', email: null, phone: null, city: null, postcode: null, country: null, languages: null,
    kind: 'volunteer', availability: 'available', organisation: null, job_title: null, portfolio_url: null, notes: null,
    do_not_contact: false, last_confirmed_at: null, ...f,
  };
}

export async function duplicatesFigure(dir: string, file: string, env: NodeJS.ProcessEnv): Promise<DuplicatesFigure> {
  const copy = path.join(dir, 'duplicates.sqlite');
  copyFileSync(file, copy);
  const db = createDb({ databaseFile: copy });
  const truth = new Set<string>();
  const lookalike = new Set<string>();
  const planted = new Set<number>();
  /** planted duplicates that carry no e-mail and no phone: the folded name and city of their source */
  const bare = new Map<number, string>();
  const who = (first: string | null, last: string | null, city: string | null) => `${foldGerman(first)}|${foldGerman(last)}|${foldPlain(city)}`;
  const doorInputs: PersonFields[] = [];
  const doorWarmUp: PersonFields[] = [];
  let people = 0;
  try {
    people = Number((await db('people').count<{ n: number }>({ n: '*' }).first())!.n);
    // every 50th person gets a duplicate (kinds in turn), every 200th a look-alike
    const originals: Row[] = await db('people').whereRaw('id % 50 = 7').whereNot('last_name', '').whereNot('first_name', '')
      .select('id', 'first_name', 'last_name', 'city', 'postcode', 'country', 'updated_at');
    const insert = async (f: PersonFields) => {
      const [r] = await db('people').insert({ ...personColumns(f), created_at: '2026-11-01T00:00:00.000Z', updated_at: '2026-11-01T00:00:00.000Z' }).returning('id');
      const id = typeof r === 'object' ? r.id : r;
      planted.add(id);
      return id as number;
    };
    const key = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
    for (const [i, o] of originals.entries()) {
      const kind = KINDS[i % KINDS.length]!;
      const [f, l] = [ascii(o.first_name) || 'x', ascii(o.last_name) || 'y'];
      const phone = `171 9${String(i).padStart(6, '0')}`;
      let dup: PersonFields;
      if (kind === 'gmail' || kind === 'tag') {
        await db('people').where({ id: o.id }).update({ email: `${f}.${l}.${i}@gmail.com`, email_norm: `${f}.${l}.${i}@gmail.com` });
        dup = fields({ first_name: o.first_name, last_name: o.last_name, email: kind === 'gmail' ? `${f}${l}${i}@googlemail.com` : `${f}.${l}.${i}+ngo@gmail.com` });
      } else if (kind === 'phone') {
        await db('people').where({ id: o.id }).update({ phone: `+49 ${phone}`, phone_norm: `+49${phone.replace(/ /g, '')}` });
        let last = o.last_name;
        for (const [re, to] of UMLAUTS) last = last.replace(re, to);
        dup = fields({ first_name: `${o.first_name[0]}.`, last_name: last, email: `p${i}@example.net`, phone: `0${phone}`, city: o.city, country: o.country });
      } else if (kind === 'transliteration') {
        let last = o.last_name;
        for (const [re, to] of UMLAUTS) last = last.replace(re, to);
        // typed in again from a form: no e-mail, the same address
        dup = fields({ first_name: o.first_name, last_name: last, city: o.city, postcode: o.postcode, country: o.country });
      } else {
        await db('people').where({ id: o.id }).update({ phone: `+49 ${phone}`, phone_norm: `+49${phone.replace(/ /g, '')}` });
        dup = fields({ first_name: o.last_name, last_name: o.first_name, phone: `0${phone}` });
      }
      const dupId = await insert(dup);
      truth.add(key(o.id, dupId));
      if (!dup.email && !dup.phone) bare.set(dupId, who(o.first_name, o.last_name, o.city));
      if (doorInputs.length < 200) doorInputs.push(dup);
      else if (doorWarmUp.length < 20) doorWarmUp.push(dup);
      if (i % 4 === 0) {
        // father and son: same name and city, another e-mail; a namesake in another city
        const son = await insert(fields({ first_name: o.first_name, last_name: o.last_name, city: o.city, email: `${f}.${l}.jr${i}@web.de` }));
        const namesake = await insert(fields({ first_name: o.first_name, last_name: o.last_name, city: 'Flensburg', email: `${f}${i}@t-online.de`, phone: `0461 ${1000000 + i}` }));
        lookalike.add(key(o.id, son)).add(key(o.id, namesake));
      }
    }
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
    log(`duplicates: planted ${truth.size} duplicates and ${lookalike.size} look-alikes among ${people} people`);
    // 20 warm-up checks of other planted records first (as the search figure warms up), then the 200 timed ones
    for (const input of doorWarmUp) await findDuplicatesFor(db, input);
    const times: number[] = [];
    for (const input of doorInputs) {
      const t0 = performance.now();
      await findDuplicatesFor(db, input);
      times.push(performance.now() - t0);
    }
    const door = round(percentile(times, 95), 2)!;
    const raw = new Database(copy, { readonly: true });
    let rawS: number;
    try {
      const t0 = performance.now();
      raw.prepare('select name_norm, count(*) as n from people group by name_norm having count(*) > 1').all();
      rawS = (performance.now() - t0) / 1000;
    } finally {
      raw.close();
    }
    const child = await runTimed(['--import', 'tsx', 'bench/duplicates-scan.ts', copy], env);
    if (child.code !== 0) {
      return { people, planted: truth.size, lookalikes: lookalike.size, app_s: null, raw_s: round(rawS, 3)!, ratio: null, peak_rss_mb: null, door_p95_ms: door, precision: null, recall: null, other_pairs: 0, namesakes: 0, status: `scan failed: ${child.stderr.slice(-300)}` };
    }
    const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as { seconds: number; peak_rss_mb: number | null; pairs: [number, number][] };
    let tp = 0;
    let fp = 0;
    let other = 0;
    const wrong: [number, number][] = [];
    for (const [a, b] of out.pairs) {
      const k = key(a, b);
      if (truth.has(k)) tp++;
      else if (planted.has(a) || planted.has(b) || lookalike.has(k)) wrong.push([a, b]);
      else other++;
    }
    // a bare planted record (no e-mail, no phone) flagged with a demo person who has its source's very name and city
    // (the generator repeats names at scale) is as much that person's duplicate as its source's: not a false positive
    const demoIds = [...new Set(wrong.flatMap(([a, b]) => (bare.has(a) && !planted.has(b) ? [b] : bare.has(b) && !planted.has(a) ? [a] : [])))];
    const demo = new Map<number, string>();
    for (let i = 0; i < demoIds.length; i += 500) {
      for (const r of await db('people').whereIn('id', demoIds.slice(i, i + 500)).select('id', 'first_name', 'last_name', 'city')) demo.set(r.id, who(r.first_name, r.last_name, r.city));
    }
    let namesakes = 0;
    for (const [a, b] of wrong) {
      const [p, d] = bare.has(a) && !planted.has(b) ? [a, b] : [b, a];
      if (bare.has(p) && !planted.has(d) && demo.get(d) === bare.get(p)) {
        namesakes++;
        continue;
      }
      fp++;
      if (fp <= 5) {
        const rows = await db('people').whereIn('id', [a, b]).select('id', 'first_name', 'last_name', 'email', 'phone', 'city');
        log(`duplicates: false positive ${JSON.stringify(rows)}`);
      }
    }
    const appS = round(out.seconds, 3);
    return {
      people, planted: truth.size, lookalikes: lookalike.size, app_s: appS, raw_s: round(rawS, 3)!, ratio: ratio(appS, rawS),
      peak_rss_mb: round(out.peak_rss_mb, 1), door_p95_ms: door, precision: tp + fp ? round(tp / (tp + fp), 3) : null,
      recall: truth.size ? round(tp / truth.size, 3) : null, other_pairs: other, namesakes, status: 'ok',
    };
  } finally {
    await db.destroy();
  }
}
