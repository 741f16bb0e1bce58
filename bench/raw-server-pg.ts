// The bare baseline server on PostgreSQL: plain Express 5 + EJS + `pg` (a pool of 10, as the app's), no session,
// no login, no CSRF, no i18n, no knex, no snapshot. The same pages and questions as bench/raw-server.ts (SQLite)
// with the same views, and the people CSV streamed from a server-side cursor (DECLARE … FETCH 1000) through
// csv-stringify with the same options. Run as its own process so its memory is its own.
// Usage: PORT=… BENCH_DB=postgres://… node --import tsx bench/raw-server-pg.ts
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { stringify } from 'csv-stringify';
import express, { type NextFunction, type Request, type Response } from 'express';
import { RawSearchPg } from './raw-queries-pg.js';
import { CSV_COLUMNS } from './raw-columns.js';
import { BENCH_DIR } from './util.js';
import { securityHeaders } from '../src/http/security-headers.js';

const url = process.env.BENCH_DB;
if (!url) throw new Error('BENCH_DB is not set');
const pool = new pg.Pool({ connectionString: url, max: 10 });
const search = new RawSearchPg(pool);

const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
const many = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const rows = async <T>(sql: string, args: unknown[]) => (await pool.query(sql, args)).rows as T[];

const PERSON = 'SELECT * FROM people WHERE id = $1';
const SKILLS = `SELECT ps.skill_id, s.name, s.name_de, ps.level, ps.last_used_at FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
  WHERE ps.person_id = $1 ORDER BY ps.level DESC, s.name`;
const TAGS = 'SELECT t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = $1 ORDER BY t.name';
const ENGAGEMENTS = `SELECT e.id, e.project_id, p.title AS project_title, p.kind AS project_kind, o.id AS organisation_id,
    o.name AS organisation_name, e.role, e.start_date, e.end_date, e.hours, e.rating, e.handover
  FROM engagements e JOIN projects p ON p.id = e.project_id JOIN organisations o ON o.id = p.organisation_id
  WHERE e.person_id = $1 ORDER BY coalesce(e.end_date, e.start_date, p.end_date, p.start_date) DESC NULLS FIRST, e.id DESC`;
const EVIDENCE = `SELECT pk.skill_id, p.id AS project_id, p.title, coalesce(e.end_date, e.start_date) AS date
  FROM engagements e JOIN projects p ON p.id = e.project_id JOIN project_skills pk ON pk.project_id = p.id
  JOIN person_skills ps ON ps.skill_id = pk.skill_id AND ps.person_id = e.person_id
  WHERE e.person_id = $1 ORDER BY coalesce(e.end_date, e.start_date) DESC NULLS LAST`;
const CONSENTS = 'SELECT id, purpose, status, method, created_at FROM consents WHERE person_id = $1 ORDER BY id DESC';
const HISTORY = `SELECT id, actor, action, source, changes, created_at FROM audit_log
  WHERE entity_type = 'person' AND entity_id = $1 ORDER BY id DESC LIMIT 50`;

const CSV_ROWS = `SELECT p.id, p.first_name, p.last_name, p.email, p.phone, p.city, p.postcode, p.country, p.languages, p.kind,
    p.availability, p.organisation, p.job_title, p.portfolio_url,
    (SELECT string_agg(s.name || ' (' || ps.level || ')', '; ' ORDER BY ps.level DESC, s.name) FROM person_skills ps
      JOIN skills s ON s.id = ps.skill_id WHERE ps.person_id = p.id) AS skills,
    (SELECT string_agg(t.name, '; ' ORDER BY t.name) FROM person_tags pt JOIN tags t ON t.id = pt.tag_id
      WHERE pt.person_id = p.id) AS tags,
    p.notes, CASE WHEN p.do_not_contact THEN 'yes' ELSE 'no' END AS do_not_contact, p.last_confirmed_at, p.created_at
  FROM people p ORDER BY p.last_name, p.first_name, p.id`;

/** Rows of a query from a server-side cursor, 1000 at a time, on a connection of its own. */
async function* cursorRows(sql: string): AsyncGenerator<unknown[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE people_csv NO SCROLL CURSOR FOR ${sql}`);
    for (;;) {
      const { rows: part } = await client.query({ text: 'FETCH 1000 FROM people_csv', rowMode: 'array' });
      if (!part.length) break;
      yield* part as unknown[][];
    }
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const app = express();
app.set('views', path.join(BENCH_DIR, 'views'));
app.set('view engine', 'ejs');
app.disable('x-powered-by');

const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => {
  fn(req, res).catch(next);
};

app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});

const HELLO = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hello</title></head><body><p>Hello</p></body></html>';
app.get('/hello', securityHeaders({ env: 'production' }), (_req, res) => {
  res.set('Cache-Control', 'no-store').type('html').send(HELLO);
});

app.get('/people', wrap(async (req, res) => {
  const q = one(req.query.q).slice(0, 500);
  const page = Math.max(1, Number.parseInt(one(req.query.page), 10) || 1);
  const result = await search.search({ q, skills: many(req.query.skill), city: one(req.query.city) }, { page });
  res.render('people', { q, rows: result.rows, total: result.total });
}));

app.get('/people.csv', wrap(async (_req, res) => {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', 'attachment; filename="people.csv"');
  const csv = stringify({
    bom: true, header: true, columns: CSV_COLUMNS, delimiter: ',', record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]/,
  });
  await pipeline(Readable.from(cursorRows(CSV_ROWS)), csv, res);
}));

app.get('/people/:id', wrap(async (req, res) => {
  const id = Number(req.params.id);
  const [p] = Number.isInteger(id) ? await rows(PERSON, [id]) : [];
  if (!p) {
    res.status(404).send('Not found');
    return;
  }
  const [skills, tags, engagements, evidence, consents, history] = await Promise.all([
    rows(SKILLS, [id]), rows<{ name: string }>(TAGS, [id]), rows(ENGAGEMENTS, [id]),
    rows<{ skill_id: number; project_id: number; title: string; date: string | null }>(EVIDENCE, [id]), rows(CONSENTS, [id]), rows(HISTORY, [id]),
  ]);
  const ev: Record<number, { project_id: number; title: string; date: string | null }[]> = {};
  for (const r of evidence) {
    const list = (ev[r.skill_id] ??= []);
    if (!list.some((x) => x.project_id === r.project_id)) list.push(r);
  }
  res.render('person', { person: p, skills, tags: tags.map((t) => t.name), engagements, evidence: ev, consents, history });
}));

const port = Number(process.env.PORT ?? 3100);
const server = app.listen(port, '127.0.0.1', (err?: Error) => {
  if (err) {
    // the bench reads these words: another port is tried when this one was taken meanwhile
    console.error((err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `Port ${port} is already in use` : `Cannot listen: ${err.message}`);
    process.exit(1);
  }
  console.log(`bare server running at http://127.0.0.1:${port}/`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
