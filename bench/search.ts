// Search figure: server time of the five questions of issue 3, through the app's own search function called
// in-process exactly as GET /people calls it (parsePeopleFilters → findPeople: rows, total, and facet counts
// when the function returns them), against bare better-sqlite3 statements answering the same question.
// Runs alternate app and bare, so machine noise hits both alike. The app keeps its last 32 results, so a question
// asked again is answered from them: the repeated series measures that; the first-ask series drops the results
// before every call (the search index and the lookup tables stay loaded), which is what a new question costs.
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDb } from '../src/db.js';
import { dbConfigOf, isPgTarget } from './pg-databases.js';
import { RawSearchPg } from './raw-queries-pg.js';
import { findPeople } from '../src/search/search.queries.js';
import { parsePeopleFilters } from '../src/search/search.domain.js';
import { forgetResults } from '../src/search/results.domain.js';
import { RawSearch, type RawQuery } from './raw-queries.js';
import { log, percentile, ratio, round } from './util.js';

export interface Question {
  name: string;
  /** /people URL parameters */
  params: Record<string, string | string[]>;
}

/** Terms that exist in the demo network (seeds/demo.people.data.ts and the taxonomy). */
export const QUESTIONS: Question[] = [
  { name: 'word', params: { q: 'schmidt' } },
  { name: 'prefix', params: { q: 'schm' } },
  { name: 'two skills AND', params: { skill: ['WordPress', 'SEO'] } },
  { name: 'skill + city', params: { skill: ['WordPress'], city: 'Berlin' } },
  { name: 'word + skill', params: { q: 'müller', skill: ['WordPress'] } },
];

export function rawQueryOf(params: Question['params']): RawQuery {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const skill = params.skill;
  return { q: one(params.q), skills: skill === undefined ? [] : Array.isArray(skill) ? skill : [skill], city: one(params.city) };
}

export interface QuestionTimes {
  name: string;
  app_p50_ms: number | null;
  app_p95_ms: number | null;
  raw_p50_ms: number | null;
  raw_p95_ms: number | null;
  /** process CPU time (user + system) per app search, mean: what a shared machine's load does not inflate */
  app_cpu_ms: number | null;
  /** the first ask of the question: the app's result cache dropped before each call (up to 50 calls) */
  app_first_p50_ms: number | null;
  app_first_p95_ms: number | null;
  /** the bare calls alternated with the first asks */
  raw_first_p50_ms: number | null;
  raw_first_p95_ms: number | null;
  /** first-ask p95 ÷ the bare p95 of its own series */
  first_ratio: number | null;
  /** bare SQL with facet counts too (only measured when the app returns facets) */
  raw_facets_p95_ms: number | null;
  ratio: number | null;
  app_total: number;
  raw_total: number;
  app_facets: boolean;
}

export interface SearchFigure {
  questions: QuestionTimes[];
  /** the worst question's app p95 */
  app_p95_ms: number | null;
  /** the worst question's bare p95 */
  raw_p95_ms: number | null;
  /** the worst per-question ratio (app p95 ÷ bare p95) */
  ratio: number | null;
  /** the worst question's first-ask p95, and the worst first-ask ratio */
  first_ask_p95_ms: number | null;
  first_ask_ratio: number | null;
}

const ms = (t0: number) => performance.now() - t0;

/** The bare side: better-sqlite3 statements on a file, or plain `pg` queries on a PostgreSQL database. */
interface Bare {
  search(q: RawQuery, opts?: { facets?: boolean }): { total: number } | Promise<{ total: number }>;
  close(): Promise<void>;
}

function bareOn(target: string): Bare {
  if (isPgTarget(target)) {
    const pool = new pg.Pool({ connectionString: target, max: 2 });
    const raw = new RawSearchPg(pool);
    return { search: (q, o) => raw.search(q, o), close: () => pool.end() };
  }
  const conn = new Database(target, { readonly: true });
  const raw = new RawSearch(conn);
  return { search: (q, o) => raw.search(q, o), close: async () => { conn.close(); } };
}

export async function searchFigure(file: string, runs: number): Promise<SearchFigure> {
  const db = createDb(dbConfigOf(file));
  const raw = bareOn(file);
  const questions: QuestionTimes[] = [];
  try {
    for (const q of QUESTIONS) {
      const filters = parsePeopleFilters(q.params);
      const rq = rawQueryOf(q.params);
      const first = (await findPeople(db, filters)) as { total: number; facets?: unknown };
      const withFacets = first.facets !== undefined && first.facets !== null;
      const rawTotal = (await raw.search(rq)).total;
      const warm = Math.min(20, runs);
      for (let i = 0; i < warm; i++) {
        await findPeople(db, filters);
        await raw.search(rq, { facets: withFacets });
      }
      const app: number[] = [];
      const bare: number[] = [];
      const bareFacets: number[] = [];
      let appCpu = 0;
      for (let i = 0; i < runs; i++) {
        const timeBare = async () => {
          let t0 = performance.now();
          await raw.search(rq);
          bare.push(ms(t0));
          if (withFacets) {
            t0 = performance.now();
            await raw.search(rq, { facets: true });
            bareFacets.push(ms(t0));
          }
        };
        if (i % 2) await timeBare();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await findPeople(db, filters);
        app.push(ms(t0));
        const c = process.cpuUsage(c0);
        appCpu += (c.user + c.system) / 1000;
        if (!(i % 2)) await timeBare();
      }
      // the first asks alternate with bare calls of their own, as the repeated series does
      const firsts: number[] = [];
      const bareFirsts: number[] = [];
      for (let i = 0; i < Math.min(runs, 50); i++) {
        const timeBareFirst = async () => {
          const t0 = performance.now();
          await raw.search(rq);
          bareFirsts.push(ms(t0));
        };
        if (i % 2) await timeBareFirst();
        forgetResults(db);
        const t0 = performance.now();
        await findPeople(db, filters);
        firsts.push(ms(t0));
        if (!(i % 2)) await timeBareFirst();
      }
      const t: QuestionTimes = {
        name: q.name,
        app_first_p50_ms: round(percentile(firsts, 50)), app_first_p95_ms: round(percentile(firsts, 95)), first_ratio: null,
        raw_first_p50_ms: round(percentile(bareFirsts, 50)), raw_first_p95_ms: round(percentile(bareFirsts, 95)),
        app_p50_ms: round(percentile(app, 50)), app_p95_ms: round(percentile(app, 95)),
        raw_p50_ms: round(percentile(bare, 50)), raw_p95_ms: round(percentile(bare, 95)), app_cpu_ms: round(appCpu / runs),
        raw_facets_p95_ms: withFacets ? round(percentile(bareFacets, 95)) : null,
        ratio: null, app_total: first.total, raw_total: rawTotal, app_facets: withFacets,
      };
      t.ratio = ratio(t.app_p95_ms, t.raw_p95_ms);
      t.first_ratio = ratio(t.app_first_p95_ms, t.raw_first_p95_ms);
      questions.push(t);
      log(`search: ${q.name}: app p95 ${t.app_p95_ms} ms (CPU ${t.app_cpu_ms} ms a search), first ask p95 ${t.app_first_p95_ms} ms, bare p95 ${t.raw_p95_ms} ms (${first.total} / ${rawTotal} found)`);
    }
  } finally {
    await raw.close();
    await db.destroy();
  }
  const worst = (key: 'app_p95_ms' | 'raw_p95_ms' | 'ratio' | 'app_first_p95_ms' | 'first_ratio') => {
    const vals = questions.map((q) => q[key]).filter((v): v is number => v !== null);
    return vals.length ? Math.max(...vals) : null;
  };
  return {
    questions, app_p95_ms: worst('app_p95_ms'), raw_p95_ms: worst('raw_p95_ms'), ratio: worst('ratio'),
    first_ask_p95_ms: worst('app_first_p95_ms'), first_ask_ratio: worst('first_ratio'),
  };
}
