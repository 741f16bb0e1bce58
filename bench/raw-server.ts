// The bare baseline server: plain Express 5 + EJS + better-sqlite3, no session, no login, no CSRF, no i18n, no
// knex. It answers the same questions as the app's pages with the same rows, and streams the people CSV with
// the same csv-stringify options. Run as its own process so its memory is its own.
// Usage: PORT=… BENCH_DB=file.sqlite node --import tsx bench/raw-server.ts
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import express from 'express';
import { RawSearch, peopleCsvSql } from './raw-queries.js';
import { CSV_COLUMNS } from './raw-columns.js';
import { BENCH_DIR } from './util.js';
// the app's own header definition (helmet: CSP, HSTS, …), so /hello costs what the headers cost and nothing else
import { securityHeaders } from '../src/http/security-headers.js';


const file = process.env.BENCH_DB;
if (!file) throw new Error('BENCH_DB is not set');
const conn = new Database(file, { readonly: true });
conn.pragma('busy_timeout = 5000');
const search = new RawSearch(conn);

const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
const many = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

const person = conn.prepare('SELECT * FROM people WHERE id = ?');
const skills = conn.prepare(`SELECT ps.skill_id, s.name, s.name_de, ps.level, ps.last_used_at FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
  WHERE ps.person_id = ? ORDER BY ps.level DESC, s.name`);
const tags = conn.prepare('SELECT t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = ? ORDER BY t.name').pluck();
const engagements = conn.prepare(`SELECT e.id, e.project_id, p.title AS project_title, p.kind AS project_kind, o.id AS organisation_id,
    o.name AS organisation_name, e.role, e.start_date, e.end_date, e.hours, e.rating, e.handover
  FROM engagements e JOIN projects p ON p.id = e.project_id JOIN organisations o ON o.id = p.organisation_id
  WHERE e.person_id = ? ORDER BY coalesce(e.end_date, e.start_date, p.end_date, p.start_date) DESC NULLS FIRST, e.id DESC`);
const evidence = conn.prepare(`SELECT pk.skill_id, p.id AS project_id, p.title, coalesce(e.end_date, e.start_date) AS date
  FROM engagements e JOIN projects p ON p.id = e.project_id JOIN project_skills pk ON pk.project_id = p.id
  JOIN person_skills ps ON ps.skill_id = pk.skill_id AND ps.person_id = e.person_id
  WHERE e.person_id = ? ORDER BY coalesce(e.end_date, e.start_date) DESC NULLS LAST`);
const consents = conn.prepare('SELECT id, purpose, status, method, created_at FROM consents WHERE person_id = ? ORDER BY id DESC');
const history = conn.prepare(`SELECT id, actor, action, source, changes, created_at FROM audit_log
  WHERE entity_type = 'person' AND entity_id = ? ORDER BY id DESC LIMIT 50`);

const csvRows = peopleCsvSql();

const app = express();
app.set('views', path.join(BENCH_DIR, 'views'));
app.set('view engine', 'ejs');
app.disable('x-powered-by');

app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});

// The baseline of an empty logged-in page (/about): the same security headers, a fixed small HTML page.
const HELLO = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hello</title></head><body><p>Hello</p></body></html>';
app.get('/hello', securityHeaders({ env: 'production' }), (_req, res) => {
  res.set('Cache-Control', 'no-store').type('html').send(HELLO);
});

app.get('/people', (req, res) => {
  const q = one(req.query.q).slice(0, 500);
  const page = Math.max(1, Number.parseInt(one(req.query.page), 10) || 1);
  const result = search.search({ q, skills: many(req.query.skill), city: one(req.query.city) }, { page });
  res.render('people', { q, rows: result.rows, total: result.total });
});

app.get('/people.csv', async (_req, res) => {
  // its own connection: an iterating statement keeps its connection busy until the end
  const exportConn = new Database(file, { readonly: true });
  try {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="people.csv"');
    const csv = stringify({
      bom: true, header: true, columns: CSV_COLUMNS, delimiter: ',', record_delimiter: 'windows', escape_formulas: true, quoted_match: /[\r\n]/,
    });
    await pipeline(Readable.from(exportConn.prepare(csvRows).raw().iterate() as Iterable<unknown[]>), csv, res);
  } finally {
    exportConn.close();
  }
});

app.get('/people/:id', (req, res) => {
  const id = Number(req.params.id);
  const p = Number.isInteger(id) ? person.get(id) : undefined;
  if (!p) {
    res.status(404).send('Not found');
    return;
  }
  const ev: Record<number, { project_id: number; title: string; date: string | null }[]> = {};
  for (const r of evidence.all(id) as { skill_id: number; project_id: number; title: string; date: string | null }[]) {
    const list = (ev[r.skill_id] ??= []);
    if (!list.some((x) => x.project_id === r.project_id)) list.push(r);
  }
  res.render('person', {
    person: p, skills: skills.all(id), tags: tags.all(id), engagements: engagements.all(id), evidence: ev,
    consents: consents.all(id), history: history.all(id),
  });
});

const port = Number(process.env.PORT ?? 3100);
const server = app.listen(port, '127.0.0.1', (err?: Error) => {
  if (err) {
    // the bench reads these words: another port is tried when this one was taken meanwhile
    console.error((err as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `Port ${port} is already in use` : `Cannot listen: ${err.message}`);
    process.exit(1);
  }
  console.log(`bare server running at http://127.0.0.1:${port}/`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
