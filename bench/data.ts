// The network every figure measures: a fresh SQLite file with the demo network, an admin to log in with,
// and the same people written out as a CSV for the import figure.
import { copyFileSync, createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import pg from 'pg';
import { createDb, migrate } from '../src/db.js';
import { dbConfigOf, isPgTarget } from './pg-databases.js';
import { hashPassword } from '../src/users/passwords.service.js';
import { insertUser } from '../src/users/users.queries.js';
import { seedDemo } from '../seeds/demo.js';
import { seedTaxonomy } from '../seeds/taxonomy.js';

export const ADMIN_EMAIL = 'bench-admin@example.org';
export const ADMIN_PASSWORD = 'bench password 1234';

export interface Network {
  file: string;
  people: number;
  seedSeconds: number;
  /** the person with the most engagements: their page is the heaviest typical one */
  personId: number;
}

/** Migrates a new database (a file, or a postgres:// URL) and fills it with the demo network (same seed, same network). */
export async function buildNetwork(file: string, people: number, seed: number): Promise<Network> {
  const db = createDb(dbConfigOf(file));
  try {
    await migrate(db);
    const t0 = performance.now();
    await seedDemo(db, { people, seed, today: '2026-11-27' });
    const seedSeconds = (performance.now() - t0) / 1000;
    await insertUser(db, { email: ADMIN_EMAIL, name: 'Bench admin', role: 'admin', passwordHash: await hashPassword(ADMIN_PASSWORD) });
    const row = await db('engagements').groupBy('person_id').orderByRaw('count(*) desc, person_id').first('person_id');
    const personId = Number(row?.person_id ?? (await db('people').min({ id: 'id' }).first())?.id ?? 1);
    // both sides start from the same state: a checkpointed WAL, or fresh planner statistics
    await db.raw(isPgTarget(file) ? 'VACUUM ANALYZE' : 'PRAGMA wal_checkpoint(TRUNCATE)');
    return { file, people, seedSeconds, personId };
  } finally {
    await db.destroy();
  }
}

/**
 * --network FILE: a copy of a network an earlier run kept (`--keep`) or built, instead of seeding a new one, so a
 * figure at 1,000,000 people can be measured again without six minutes of seeding. The copy is the run's own; the
 * source is only read (its WAL must be checkpointed, as buildNetwork leaves it).
 */
export async function copyNetwork(source: string, file: string): Promise<Network> {
  copyFileSync(source, file);
  const db = new Database(file);
  try {
    const people = Number((db.prepare('select count(*) as n from people').get() as { n: number }).n);
    const admin = db.prepare('select id from users where email = ?').get(ADMIN_EMAIL);
    if (!admin) throw new Error(`--network ${source}: not a benchmark network (no ${ADMIN_EMAIL})`);
    const row = db.prepare('select person_id from engagements group by person_id order by count(*) desc, person_id limit 1').get() as { person_id: number } | undefined;
    return { file, people, seedSeconds: 0, personId: Number(row?.person_id ?? 1) };
  } finally {
    db.close();
  }
}

/** A migrated database with the default skill taxonomy and nobody in it (where an import starts). */
export async function emptyNetwork(file: string): Promise<void> {
  const db = createDb(dbConfigOf(file));
  try {
    await migrate(db);
    await seedTaxonomy(db);
  } finally {
    await db.destroy();
  }
}

export const CSV_HEADERS = [
  'First name', 'Last name', 'Email', 'Phone', 'City', 'Postcode', 'Country', 'Languages', 'Kind', 'Availability',
  'Organisation', 'Job title', 'Notes', 'Tags', 'Skills',
];

/** The network's people as a spreadsheet would hold them: skills as "WordPress (3/4); SEO (2/4)" (levels.domain levelInFile), tags "a; b". */
export async function writePeopleCsv(sourceFile: string, csvFile: string): Promise<number> {
  if (isPgTarget(sourceFile)) return writePeopleCsvPg(sourceFile, csvFile);
  const conn = new Database(sourceFile, { readonly: true });
  try {
    const rows = conn.prepare(`SELECT p.first_name, p.last_name, p.email, p.phone, p.city, p.postcode, p.country, p.languages,
        p.kind, p.availability, p.organisation, p.job_title, p.notes,
        (SELECT group_concat(t.name, '; ') FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = p.id) AS tags,
        (SELECT group_concat(s.name || ' (' || ps.level || '/4)', '; ') FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
          WHERE ps.person_id = p.id) AS skills
      FROM people p ORDER BY p.id`).raw();
    const out = createWriteStream(csvFile);
    const csv = stringify({ header: true, columns: CSV_HEADERS });
    csv.pipe(out);
    let n = 0;
    for (const r of rows.iterate() as Iterable<unknown[]>) {
      n++;
      if (!csv.write(r)) await new Promise((resolve) => csv.once('drain', resolve));
    }
    csv.end();
    await finished(out);
    return n;
  } finally {
    conn.close();
  }
}

async function writePeopleCsvPg(url: string, csvFile: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query({
      rowMode: 'array',
      text: `SELECT p.first_name, p.last_name, p.email, p.phone, p.city, p.postcode, p.country, p.languages,
        p.kind, p.availability, p.organisation, p.job_title, p.notes,
        (SELECT string_agg(t.name, '; ') FROM person_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.person_id = p.id) AS tags,
        (SELECT string_agg(s.name || ' (' || ps.level || ')', '; ') FROM person_skills ps JOIN skills s ON s.id = ps.skill_id
          WHERE ps.person_id = p.id) AS skills
      FROM people p ORDER BY p.id`,
    });
    const out = createWriteStream(csvFile);
    const csv = stringify({ header: true, columns: CSV_HEADERS });
    csv.pipe(out);
    for (const r of rows as unknown[][]) {
      if (!csv.write(r)) await new Promise((resolve) => csv.once('drain', resolve));
    }
    csv.end();
    await finished(out);
    return rows.length;
  } finally {
    await client.end();
  }
}
