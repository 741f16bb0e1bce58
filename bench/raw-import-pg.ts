// The import baseline on PostgreSQL, run as its own process: read the CSV, parse it with csv-parse (sync), and
// insert the same people, skills, tags, links and search-index rows (tsvector) in ONE transaction of bare `pg`
// multi-row INSERTs (INSERT … SELECT FROM unnest of one array per column, 1,000 people at a time).
// No mapping guesses, validation, dedupe, batch or undo records: that is the work the app adds.
// Usage: node --import tsx bench/raw-import-pg.ts FILE.csv postgres://…   → prints {"rows", "created", "parse_s", "insert_s"}
import pg from 'pg';
import { readPeopleCsv } from './raw-csv.js';
import { foldText, nameKey, normaliseName, normalisePhone } from '../src/shared/normalise.js';

const [csvFile, url] = process.argv.slice(2);
if (!csvFile || !url) {
  console.error('usage: raw-import-pg.ts FILE.csv postgres://…');
  process.exit(2);
}
const CHUNK = 1000;

const { records, parseSeconds, C } = readPeopleCsv(csvFile);

const client = new pg.Client({ connectionString: url });
await client.connect();
const rows = async <T>(sql: string, args: unknown[] = []) => (await client.query(sql, args)).rows as T[];

// skills by every name they are found by, with those names for the search document
const skills = new Map<string, { id: number; names: string[] }>();
for (const s of await rows<{ id: number; name: string; name_de: string | null; name_norm: string }>('SELECT id, name, name_de, name_norm FROM skills')) {
  skills.set(s.name_norm, { id: s.id, names: [s.name, ...(s.name_de && s.name_de !== s.name ? [s.name_de] : [])] });
}
for (const a of await rows<{ alias: string; alias_norm: string; name_norm: string }>('SELECT a.alias, a.alias_norm, s.name_norm FROM skill_aliases a JOIN skills s ON s.id = a.skill_id')) {
  const s = skills.get(a.name_norm);
  if (s) {
    s.names.push(a.alias);
    if (!skills.has(a.alias_norm)) skills.set(a.alias_norm, s);
  }
}
const tags = new Map<string, number>();
for (const t of await rows<{ id: number; name_norm: string }>('SELECT id, name_norm FROM tags')) tags.set(t.name_norm, t.id);

const now = new Date().toISOString();
const PEOPLE_COLS = ['first_name', 'last_name', 'name_norm', 'email', 'email_norm', 'phone', 'phone_norm', 'city', 'city_norm',
  'postcode', 'country', 'languages', 'kind', 'availability', 'organisation', 'job_title', 'notes', 'created_at', 'updated_at'];
const INSERT_PEOPLE = `INSERT INTO people (${PEOPLE_COLS.join(', ')})
  SELECT * FROM unnest(${PEOPLE_COLS.map((_, i) => `$${i + 1}::text[]`).join(', ')}) RETURNING id`;

const list = (cell: string | undefined) => (cell ?? '').split(';').map((s) => s.trim()).filter(Boolean);
const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);
/** The words of a document as the index keeps them (folded, cut at non-letters), space-separated. */
const tokens = (doc: string) => [...new Set(foldText(doc).split(/[^\p{L}\p{N}]+/u).filter(Boolean))].join(' ');

const t1 = performance.now();
let created = 0;
await client.query('BEGIN');
for (let start = 1; start < records.length; start += CHUNK) {
  const part = records.slice(start, start + CHUNK);
  const columns: (string | null)[][] = PEOPLE_COLS.map(() => []);
  for (const row of part) {
    const first = row[C.first] ?? '';
    const last = row[C.last] ?? '';
    const email = orNull(row[C.email]);
    const phone = orNull(row[C.phone]);
    const city = orNull(row[C.city]);
    const values = [first, last, normaliseName(first, last), email, email ? email.trim().toLowerCase() : null, phone,
      phone ? normalisePhone(phone) || null : null, city, city ? foldText(city) : null, orNull(row[C.postcode]),
      orNull(row[C.country]), orNull(row[C.languages]), row[C.kind] || 'volunteer', row[C.availability] || 'available',
      orNull(row[C.organisation]), orNull(row[C.job]), orNull(row[C.notes]), now, now];
    values.forEach((v, i) => columns[i]!.push(v));
  }
  const ids = (await rows<{ id: number }>(INSERT_PEOPLE, columns)).map((r) => r.id);
  const link: [number[], number[], number[]] = [[], [], []];
  const tagLink: [number[], number[]] = [[], []];
  const docs: [number[], string[], string[]] = [[], [], []];
  for (let k = 0; k < part.length; k++) {
    const row = part[k]!;
    const id = ids[k]!;
    const docNames: string[] = [];
    for (const item of list(row[C.skills])) {
      const m = /^(.*?)\s*\((\d)\)$/.exec(item);
      const name = m ? m[1]! : item;
      const key = nameKey(name);
      let skill = skills.get(key);
      if (!skill) {
        const [r] = await rows<{ id: number }>('INSERT INTO skills (name, name_norm, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id', [name, key, now]);
        skill = { id: r!.id, names: [name] };
        skills.set(key, skill);
      }
      link[0].push(id);
      link[1].push(skill.id);
      link[2].push(m ? Number(m[2]) : 1);
      docNames.push(...skill.names);
    }
    const tagNames = list(row[C.tags]);
    for (const name of tagNames) {
      const key = nameKey(name);
      let tagId = tags.get(key);
      if (tagId === undefined) {
        const [r] = await rows<{ id: number }>('INSERT INTO tags (name, name_norm) VALUES ($1, $2) RETURNING id', [name, key]);
        tagId = r!.id;
        tags.set(key, tagId);
      }
      tagLink[0].push(id);
      tagLink[1].push(tagId);
    }
    const email = orNull(row[C.email]);
    const doc = [row[C.first], row[C.last], email, email?.replace(/[@._+-]/g, ' '), row[C.city], row[C.organisation], row[C.job], row[C.notes], ...tagNames, ...docNames]
      .filter((x) => x && x.trim())
      .join(' \n ');
    docs[0].push(id);
    docs[1].push(doc);
    docs[2].push(tokens(doc));
  }
  await client.query('INSERT INTO person_skills (person_id, skill_id, level) SELECT * FROM unnest($1::int[], $2::int[], $3::int[]) ON CONFLICT DO NOTHING', link);
  await client.query('INSERT INTO person_tags (person_id, tag_id) SELECT * FROM unnest($1::int[], $2::int[]) ON CONFLICT DO NOTHING', tagLink);
  await client.query(`INSERT INTO people_fts (rowid, doc, tsv) SELECT r, d, array_to_tsvector(string_to_array(t, ' '))
    FROM unnest($1::int[], $2::text[], $3::text[]) AS x(r, d, t)`, docs);
  created += ids.length;
}
await client.query('COMMIT');
const insertSeconds = (performance.now() - t1) / 1000;
await client.end();
const r2 = (x: number) => Math.round(x * 100) / 100;
console.log(JSON.stringify({ rows: records.length - 1, created, parse_s: r2(parseSeconds), insert_s: r2(insertSeconds) }));
