// The import baseline, run as its own process: read the CSV, parse it with csv-parse (sync), and insert the same
// people, skills, tags, links and search-index rows in ONE transaction of prepared better-sqlite3 statements.
// No mapping guesses, validation, dedupe, batch or undo records: that is the work the app adds.
// Usage: node --import tsx bench/raw-import.ts FILE.csv DB.sqlite   → prints {"rows", "created", "parse_s", "insert_s"}
import Database from 'better-sqlite3';
import { readPeopleCsv } from './raw-csv.js';
import { foldText, nameKey, normaliseName, normalisePhone } from '../src/shared/normalise.js';

const [csvFile, dbFile] = process.argv.slice(2);
if (!csvFile || !dbFile) {
  console.error('usage: raw-import.ts FILE.csv DB.sqlite');
  process.exit(2);
}

const conn = new Database(dbFile);
conn.pragma('journal_mode = WAL');
conn.pragma('foreign_keys = ON');
conn.pragma('synchronous = NORMAL');

const { records, parseSeconds, C } = readPeopleCsv(csvFile);

// skills by every name they are found by, with those names for the search document
const skills = new Map<string, { id: number; names: string[] }>();
for (const s of conn.prepare('SELECT id, name, name_de, name_norm FROM skills').all() as { id: number; name: string; name_de: string | null; name_norm: string }[]) {
  skills.set(s.name_norm, { id: s.id, names: [s.name, ...(s.name_de && s.name_de !== s.name ? [s.name_de] : [])] });
}
for (const a of conn.prepare('SELECT a.alias, a.alias_norm, s.name_norm FROM skill_aliases a JOIN skills s ON s.id = a.skill_id').all() as { alias: string; alias_norm: string; name_norm: string }[]) {
  const s = skills.get(a.name_norm);
  if (s) {
    s.names.push(a.alias);
    if (!skills.has(a.alias_norm)) skills.set(a.alias_norm, s);
  }
}
const tags = new Map<string, number>();
for (const t of conn.prepare('SELECT id, name_norm FROM tags').all() as { id: number; name_norm: string }[]) tags.set(t.name_norm, t.id);

const now = new Date().toISOString();
const insPerson = conn.prepare(`INSERT INTO people (first_name, last_name, name_norm, email, email_norm, phone, phone_norm, city, city_norm,
  postcode, country, languages, kind, availability, organisation, job_title, notes, created_at, updated_at)
  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
const insSkill = conn.prepare('INSERT INTO skills (name, name_norm, created_at, updated_at) VALUES (?,?,?,?)');
const insLink = conn.prepare('INSERT OR IGNORE INTO person_skills (person_id, skill_id, level) VALUES (?,?,?)');
const insTag = conn.prepare('INSERT INTO tags (name, name_norm) VALUES (?,?)');
const insTagLink = conn.prepare('INSERT OR IGNORE INTO person_tags (person_id, tag_id) VALUES (?,?)');
const insDoc = conn.prepare('INSERT INTO people_fts (rowid, doc) VALUES (?,?)');

const list = (cell: string | undefined) => (cell ?? '').split(';').map((s) => s.trim()).filter(Boolean);
const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

const t1 = performance.now();
const created = conn.transaction(() => {
  let n = 0;
  for (let r = 1; r < records.length; r++) {
    const row = records[r]!;
    const first = row[C.first] ?? '';
    const last = row[C.last] ?? '';
    const email = orNull(row[C.email]);
    const phone = orNull(row[C.phone]);
    const city = orNull(row[C.city]);
    const id = Number(insPerson.run(
      first, last, normaliseName(first, last), email, email ? email.trim().toLowerCase() : null, phone,
      phone ? normalisePhone(phone) || null : null, city, city ? foldText(city) : null, orNull(row[C.postcode]),
      orNull(row[C.country]), orNull(row[C.languages]), row[C.kind] || 'volunteer', row[C.availability] || 'available',
      orNull(row[C.organisation]), orNull(row[C.job]), orNull(row[C.notes]), now, now,
    ).lastInsertRowid);
    const docNames: string[] = [];
    for (const item of list(row[C.skills])) {
      const m = /^(.*?)\s*\((\d)(?:\/4)?\)$/.exec(item);
      const name = m ? m[1]! : item;
      const key = nameKey(name);
      let skill = skills.get(key);
      if (!skill) {
        skill = { id: Number(insSkill.run(name, key, now, now).lastInsertRowid), names: [name] };
        skills.set(key, skill);
      }
      insLink.run(id, skill.id, m ? Number(m[2]) : 1);
      docNames.push(...skill.names);
    }
    const tagNames = list(row[C.tags]);
    for (const name of tagNames) {
      const key = nameKey(name);
      let tagId = tags.get(key);
      if (tagId === undefined) {
        tagId = Number(insTag.run(name, key).lastInsertRowid);
        tags.set(key, tagId);
      }
      insTagLink.run(id, tagId);
    }
    const doc = [first, last, email, email?.replace(/[@._+-]/g, ' '), city, row[C.organisation], row[C.job], row[C.notes], ...tagNames, ...docNames]
      .filter((x) => x && x.trim())
      .join(' \n ');
    insDoc.run(id, doc);
    n++;
  }
  return n;
})();
const insertSeconds = (performance.now() - t1) / 1000;
conn.close();
const r2 = (x: number) => Math.round(x * 100) / 100;
console.log(JSON.stringify({ rows: records.length - 1, created, parse_s: r2(parseSeconds), insert_s: r2(insertSeconds) }));
