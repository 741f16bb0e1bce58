// PostgreSQL stopped for 10 seconds while users browse and an import runs (issue 12, "Bad input and faults").
// A private PostgreSQL server (test/support/private-pg.ts: the shared one on 5432 keeps running for everyone
// else), a real `skillnet serve` and a real `skillnet import people` on it. While the server is stopped, pages
// answer 503 with a readable page and the process keeps serving; once it is back, pages recover and the import
// has either committed everything or taken its batch back and said so: nothing half-written.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { createDb, migrate } from '../../src/db.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { seedTaxonomy } from '../../seeds/taxonomy.js';
import { addUser } from '../support/app.js';
import { loginOn, startInstance, stopInstance, type Instance } from '../support/instances.js';
import { startPrivatePg, type PrivatePg } from '../support/private-pg.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ROWS = 20_000;
const OUTAGE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One query on a connection of its own (the server may have gone away since the last one). */
async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

function peopleCsv(file: string): void {
  const skills = ['WordPress (3)', 'SEO (2)', 'Python (4)', 'Accounting (1)', 'Photography (2)'];
  const lines = ['First name,Last name,Email,City,Skills,Tags'];
  for (let i = 0; i < ROWS; i++) {
    lines.push(`Vera${i},Ausfall${i},vera.ausfall.${i}@example.org,${i % 2 ? 'Berlin' : 'Hamburg'},"${skills[i % 5]}; ${skills[(i + 2) % 5]}",outage`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

describe('PostgreSQL stopped for 10 seconds while users browse and an import runs', function () {
  this.timeout(300_000);
  let server: PrivatePg | undefined;
  let instance: Instance | undefined;
  let url = '';
  let personId = 0;

  before(async () => {
    server = await startPrivatePg();
    await query(server.url('postgres'), 'CREATE DATABASE skillnet');
    url = server.url('skillnet');
    const db = createDb({ databaseFile: '', databaseUrl: url }, { poolMax: 2 });
    try {
      await migrate(db);
      await seedTaxonomy(db);
      await addUser(db, 'staff@example.org', 'manager');
      const p = validatePerson({ first_name: 'Petra', last_name: 'Pausenlos', kind: 'volunteer', availability: 'available' });
      if (!p.ok) throw new Error(JSON.stringify(p.errors));
      personId = await createPerson(db, SYSTEM_ACTOR, p.value);
    } finally {
      await db.destroy();
    }
    peopleCsv(path.join(server.dir, 'people.csv'));
    instance = await startInstance(url);
  });

  after(async () => {
    await stopInstance(instance);
    await server?.destroy();
  });

  it('pages answer 503 with a readable page, then recover; the import commits all or takes its batch back and says so', async () => {
    const { res, cookie } = await loginOn(instance!, 'staff@example.org');
    expect(res.status, instance!.output()).to.equal(302);
    const pages = [`/people/${personId}`, '/people?q=petra', '/people', '/imports'];
    for (const p of pages) expect((await fetch(instance!.base + p, { headers: { cookie } })).status, p).to.equal(200);

    // the import, through the CLI
    const cli = spawn(process.execPath, [path.join(ROOT, 'bin/skillnet.js'), 'import', 'people', path.join(server!.dir, 'people.csv'), '--json'], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    cli.stdout.on('data', (c: Buffer) => (out += c.toString()));
    cli.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('close', resolve));

    // stop the server once the import has written its first steps
    let written = 0;
    for (let i = 0; i < 1200 && !written && cli.exitCode === null; i++) {
      written = Number((await query<{ n: string }>(url, 'select count(*) as n from people where created_by_batch_id is not null'))[0]!.n);
      if (!written) await sleep(25);
    }
    expect(written, `the import wrote nothing yet: ${out}${err}`).to.be.greaterThan(0);
    await server!.stop();
    const stoppedAt = Date.now();
    expect(cli.exitCode, `the import had finished before the database stopped (${written} of ${ROWS} rows seen): use a larger file`).to.equal(null);

    // users browse while the database is away
    const seen: { path: string; status: number; text: string }[] = [];
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      for (const p of pages) {
        const r = await fetch(instance!.base + p, { headers: { cookie } });
        seen.push({ path: p, status: r.status, text: await r.text() });
      }
      await sleep(200);
    }
    expect(instance!.child.exitCode, instance!.output()).to.equal(null);
    expect(seen.length).to.be.greaterThan(pages.length);
    expect(seen.filter((s) => s.status !== 503).map((s) => `${s.path} ${s.status}`), 'every page answers 503 while the database is stopped').to.deep.equal([]);
    for (const s of seen) {
      expect(s.text, s.path).to.match(/<html/).and.to.match(/<main/);
      expect(s.text, s.path).to.include('cannot be written or reached right now');
      expect(s.text, s.path).to.not.match(/ECONNREFUSED|57P01|terminating connection|Connection terminated|at .*\.[jt]s:\d+/);
    }

    await server!.start();
    // pages recover by themselves
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${instance!.base}/people/${personId}`, { headers: { cookie } })).status;
      if (status !== 200) await sleep(200);
    }
    expect(status, `recovered\n${instance!.output()}`).to.equal(200);
    for (const p of pages) expect((await fetch(instance!.base + p, { headers: { cookie } })).status, p).to.equal(200);
    expect(instance!.child.exitCode, instance!.output()).to.equal(null);

    // the import ends either way, and its state is whole
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<string>((r) => (timer = setTimeout(() => r('still running'), 120_000)))]);
    clearTimeout(timer);
    expect(code, `${out}\n${err}`).to.not.equal('still running');
    const batches = await query<{ id: number; status: string; created: number }>(url, 'select id, status, created from import_batches order by id');
    const jobs = await query<{ status: string; error: string | null; batch_id: number | null; finished_at: string | null }>(url, "select status, error, batch_id, finished_at from import_jobs where kind = 'commit'");
    const count = async (sql: string) => Number((await query<{ n: string }>(url, sql))[0]!.n);
    const imported = await count('select count(*) as n from people where created_by_batch_id is not null');
    const people = await count('select count(*) as n from people');
    const changes = await count('select count(*) as n from import_changes');
    const orphanChanges = await count('select count(*) as n from import_changes c where not exists (select 1 from import_batches b where b.id = c.batch_id)');
    const lock = await query<{ owner: string | null }>(url, 'select owner from import_lock');
    expect(batches.filter((b) => b.status === 'running' || b.status === 'undoing'), 'no batch left half-written').to.deep.equal([]);
    expect(lock.map((l) => l.owner), 'the import lock is free again').to.deep.equal([null]);
    expect(orphanChanges, 'no change records without their batch').to.equal(0);
    expect(jobs, 'one import job').to.have.length(1);
    expect(jobs[0]!.finished_at, 'the job is finished').to.not.equal(null);
    if (code === 0) {
      // completed after the database returned (its last step had got through)
      const summary = JSON.parse(out.trim().split('\n').pop()!) as { created: number; batch: number };
      expect(summary.created).to.equal(ROWS);
      expect(batches).to.deep.equal([{ id: summary.batch, status: 'committed', created: ROWS }]);
      expect(imported).to.equal(ROWS);
      expect(people).to.equal(ROWS + 1);
      expect(jobs[0]!.status).to.equal('done');
    } else {
      // rolled back, and it says so
      expect(code, err).to.equal(2);
      expect(err).to.include('The connection to the database was lost during the import. Once the database was back, everything the import had written was taken back');
      expect(err).to.not.match(/at .*\.[jt]s:\d+/);
      expect(batches, 'the batch is gone').to.deep.equal([]);
      expect(imported, 'no imported people are left').to.equal(0);
      expect(people, 'the person from before is still there').to.equal(1);
      expect(changes, 'no change records are left').to.equal(0);
      expect(await count("select count(*) as n from audit_log where source = 'import'"), 'no audit entries of the batch').to.equal(0);
      expect(await count("select count(*) as n from person_skills ps where not exists (select 1 from people p where p.id = ps.person_id)")).to.equal(0);
      expect(jobs[0]!.status).to.equal('interrupted');
      expect(JSON.parse(jobs[0]!.error!).key).to.equal('imports.connectionLost');
    }
    // the search finds what is in the database: the batch's people when it committed, none of them when not
    const found = await fetch(`${instance!.base}/people?q=ausfall`, { headers: { cookie } });
    expect(found.status).to.equal(200);
    const html = await found.text();
    if (code === 0) expect(html).to.match(/Ausfall\d+/);
    else expect(html).to.not.match(/Ausfall\d+/);
  });
});
