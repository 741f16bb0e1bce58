// Import speed and memory: 100,000 new people with skills through importPeopleFile, against a bare
// better-sqlite3 transaction inserting the same people, skills and links (issue 5: ≤ 2×).
// Run: npx tsx bench/import-people.ts [rows[,rows…]]   (a child process per measurement keeps RSS figures apart)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createDb, migrate } from '../src/db.js';
import { detectFile } from '../src/imports/csv.reader.js';
import { guessMapping } from '../src/imports/mapping.domain.js';
import { importPeopleFile } from '../src/imports/import.service.js';
import { ownPeakRssKb } from './peak-rss.mjs';
import { personColumns } from '../src/people/people.domain.js';
import { nameKey } from '../src/shared/normalise.js';

const SKILLS = Array.from({ length: 300 }, (_, i) => `Skill ${i}`);
const FIRST = ['Anna', 'Jörg', 'Zoë', 'Lukas', 'Mia', 'Ben', 'Léa', 'Emil', 'Sofia', 'Noah'];
const LAST = ['Müller', 'Schmidt', 'Ødegård', 'Weber', 'Fischer', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann'];

function row(i: number) {
  const skills = [SKILLS[i % 300]!, SKILLS[(i * 7 + 3) % 300]!, SKILLS[(i * 13 + 5) % 300]!];
  return { first: FIRST[i % 10]!, last: `${LAST[(i / 10 | 0) % 10]!}-${i}`, email: `p${i}@example.org`, city: i % 2 ? 'Berlin' : 'Köln', skills: [...new Set(skills)] };
}

async function writeCsv(file: string, n: number) {
  const out = createWriteStream(file);
  out.write('First Name,Last Name,E-mail,City,Skills\n');
  for (let i = 0; i < n; i++) {
    const r = row(i);
    if (!out.write(`${r.first},${r.last},${r.email},${r.city},"${r.skills.map((s, k) => `${s} (${(k % 3) + 1})`).join('; ')}"\n`)) await new Promise<void>((res) => out.once('drain', () => res()));
  }
  await new Promise<void>((res) => out.end(() => res()));
}

async function freshDb(dir: string, name: string) {
  const file = path.join(dir, name);
  const db = createDb({ databaseFile: file });
  await migrate(db);
  return { db, file };
}

async function bare(dir: string, n: number) {
  const { db, file } = await freshDb(dir, 'bare.sqlite');
  await db.destroy();
  const conn = new Database(file);
  conn.pragma('journal_mode = WAL');
  conn.pragma('synchronous = NORMAL');
  const t0 = performance.now();
  const now = new Date().toISOString();
  const insSkill = conn.prepare('insert into skills (name, name_norm, created_at, updated_at) values (?, ?, ?, ?)');
  const cols = ['first_name', 'last_name', 'email', 'email_norm', 'name_norm', 'city', 'city_norm', 'created_at', 'updated_at'];
  const insPerson = conn.prepare(`insert into people (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`);
  const insLink = conn.prepare('insert into person_skills (person_id, skill_id, level) values (?, ?, ?)');
  conn.transaction(() => {
    const ids = new Map<string, number>();
    for (const s of SKILLS) ids.set(s, Number(insSkill.run(s, nameKey(s), now, now).lastInsertRowid));
    for (let i = 0; i < n; i++) {
      const r = row(i);
      const c = personColumns({ first_name: r.first, last_name: r.last, email: r.email, city: r.city } as never);
      const id = Number(insPerson.run(r.first, r.last, r.email, c.email_norm, c.name_norm, r.city, c.city_norm, now, now).lastInsertRowid);
      r.skills.forEach((s, k) => insLink.run(id, ids.get(s), (k % 3) + 1));
    }
  })();
  const ms = performance.now() - t0;
  conn.close();
  return ms;
}

async function viaImport(dir: string, csv: string) {
  const { db } = await freshDb(dir, 'import.sqlite');
  const t0 = performance.now();
  const detection = await detectFile(csv);
  const s = await importPeopleFile(db, {
    file: csv, filename: 'bench.csv', detection, mapping: guessMapping(detection.headers), policy: 'skip', newSkills: true, dryRun: false,
    actor: { userId: null, label: 'bench', source: 'cli' },
  });
  const ms = performance.now() - t0;
  await db.destroy();
  if (s.created !== s.rows) throw new Error(`expected every row created: ${JSON.stringify(s)}`);
  return ms;
}

const [mode, arg, csvArg] = process.argv.slice(2);
if (mode === '--child') {
  // one measurement in its own process (the CSV is written beforehand): prints {ms, rss}
  const [kind, nRaw] = arg!.split(':');
  const n = Number(nRaw);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-bench-'));
  const cpu0 = process.cpuUsage();
  const ms = kind === 'bare' ? await bare(dir, n) : await viaImport(dir, csvArg!);
  const cpu = process.cpuUsage(cpu0);
  writeFileSync(1, JSON.stringify({ ms: Math.round(ms), cpu: Math.round((cpu.user + cpu.system) / 1000), rss: ownPeakRssKb() }) + '\n');
} else {
  const sizes = (mode ?? '100000').split(',').map(Number);
  for (const n of sizes) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'skillnet-bench-'));
    const csv = path.join(dir, 'people.csv');
    await writeCsv(csv, n);
    const child = (what: string) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/import-people.ts', '--child', what, csv], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; cpu: number; rss: number };
    };
    const b = child(`bare:${n}`);
    const i = child(`import:${n}`);
    console.log(`${n} people: bare insert ${b.ms} ms (cpu ${b.cpu}), import ${i.ms} ms (cpu ${i.cpu}) → ${(i.ms / b.ms).toFixed(2)}× wall, ${(i.cpu / b.cpu).toFixed(2)}× cpu (target ≤ 2×); import peak RSS ${Math.round(i.rss / 1024)} MB`);
  }
}
