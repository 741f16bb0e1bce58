// A lost database connection while serving: pages answer 503 with a readable page, the process keeps serving,
// and the app recovers by itself once the database is reachable again. Two ways to lose it: a TCP relay the
// test cuts (every open connection reset, new ones refused) and restores, and the server itself killing a
// connection in the middle of a query (pg_terminate_backend, as an administrator or a restart does) under a
// real `skillnet serve`. The PostgreSQL server keeps running for the other tests. (npm run test:pg only.)
import { createServer, connect, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { SYSTEM_ACTOR } from '../../src/audit/audit.queries.js';
import { testConfig } from '../../src/config.js';
import { createDb } from '../../src/db.js';
import { dbErrorKey } from '../../src/http/db-errors.js';
import { createPerson } from '../../src/people/people.queries.js';
import { validatePerson } from '../../src/people/people.domain.js';
import { addUser, csrfFrom, PASSWORD } from '../support/app.js';
import { loginOn, startInstance, stopInstance, type Instance } from '../support/instances.js';
import { dropDatabase, freshPgDatabase, PG_ADMIN_URL } from '../support/pg.js';

class Relay {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  port = 0;

  async open(): Promise<void> {
    const target = new URL(PG_ADMIN_URL);
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Resets every open connection and refuses new ones. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.resetAndDestroy();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

describe('a lost database connection while serving', function () {
  this.timeout(60_000);
  const relay = new Relay();
  let db: { name: string; url: string };

  before(async () => {
    db = await freshPgDatabase();
    await relay.open();
  });
  after(async () => {
    await relay.cut().catch(() => undefined);
    await dropDatabase(db.name);
  });

  it('answers 503 with a readable page, then recovers when the database is back', async () => {
    const url = new URL(db.url);
    url.port = String(relay.port);
    const knex = createDb({ databaseFile: '', databaseUrl: url.toString() }, { poolMax: 4 });
    const app = createApp({ db: knex, config: testConfig(), loginAttempts: 1000 });
    try {
      await addUser(knex, 'staff@example.org', 'manager');
      const agent = request.agent(app);
      const page = await agent.get('/login');
      expect((await agent.post('/login').type('form').send({ email: 'staff@example.org', password: PASSWORD, _csrf: csrfFrom(page.text) })).status).to.equal(302);
      expect((await agent.get('/people')).status).to.equal(200);

      await relay.cut();
      const down = await agent.get('/people');
      expect(down.status).to.equal(503);
      expect(down.text).to.match(/<html/);
      expect(down.text).to.not.match(/ECONNREFUSED|ECONNRESET|at .*\.ts:\d+/);
      expect((await request(app).get('/health')).status).to.be.oneOf([200, 503]);

      await relay.open();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await agent.get('/people')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 250));
      }
      expect(status, 'recovered').to.equal(200);
    } finally {
      await app.shutdown();
      await knex.destroy();
    }
  });
});

describe('a connection the PostgreSQL server kills (pg_terminate_backend) under skillnet serve', function () {
  this.timeout(120_000);
  let db: { name: string; url: string };
  let instance: Instance | undefined;
  let admin: Knex;
  let personId = 0;

  /** The server processes serving this database, except the asking one. */
  const backends = async (where = 'true'): Promise<number[]> => (await admin.raw(
    `select pid from pg_stat_activity where datname = ? and pid <> pg_backend_pid() and ${where}`, [db.name])).rows.map((r: { pid: number }) => r.pid);

  before(async () => {
    db = await freshPgDatabase();
    admin = knexFactory({ client: 'pg', connection: PG_ADMIN_URL, pool: { min: 0, max: 2 } });
    const knex = createDb({ databaseFile: '', databaseUrl: db.url }, { poolMax: 1 });
    try {
      await addUser(knex, 'staff@example.org', 'manager');
      const p = validatePerson({ first_name: 'Tamara', last_name: 'Terminowa', kind: 'volunteer', availability: 'available' });
      if (!p.ok) throw new Error(JSON.stringify(p.errors));
      personId = await createPerson(knex, SYSTEM_ACTOR, p.value);
    } finally {
      await knex.destroy();
    }
    instance = await startInstance(db.url);
  });
  after(async () => {
    await stopInstance(instance);
    await admin.destroy();
    await dropDatabase(db.name);
  });

  it('the request whose query was killed answers 503 with a readable page; the process keeps serving', async () => {
    const { res, cookie } = await loginOn(instance!, 'staff@example.org');
    expect(res.status, instance!.output()).to.equal(302);
    const page = () => request(instance!.base).get(`/people/${personId}`).set('Cookie', cookie);
    expect((await page()).status).to.equal(200);

    // hold a lock the person page waits for, so its query is running when the server kills its connection
    const holder = knexFactory({ client: 'pg', connection: db.url, pool: { min: 0, max: 1 } });
    const trx = await holder.transaction();
    try {
      await trx.raw('LOCK TABLE people IN ACCESS EXCLUSIVE MODE');
      const pending = page().then((r) => r);
      let waiting: number[] = [];
      for (let i = 0; i < 600 && !waiting.length; i++) {
        waiting = await backends("wait_event_type = 'Lock'");
        if (!waiting.length) await new Promise((r) => setTimeout(r, 50));
      }
      expect(waiting, 'the person page waits for the lock').to.have.length(1);
      expect(Boolean((await admin.raw('select pg_terminate_backend(?) as done', [waiting[0]])).rows[0].done), 'killed').to.equal(true);
      const down = await pending;
      expect(down.status, instance!.output()).to.equal(503);
      expect(down.text).to.match(/<html/).and.to.include('cannot be written or reached right now');
      expect(down.text).to.not.match(/57P01|terminating connection|at .*\.ts:\d+/);
    } finally {
      await trx.rollback().catch(() => undefined);
      await holder.destroy();
    }

    expect(instance!.child.exitCode, instance!.output()).to.equal(null);
    expect((await page()).status, instance!.output()).to.equal(200);
    expect((await request(instance!.base).get('/health')).status).to.equal(200);
  });

  it('connections killed while idle: the process lives on and serves again by itself', async () => {
    const { cookie } = await loginOn(instance!, 'staff@example.org');
    expect((await backends()).length, 'the instance holds connections').to.be.greaterThan(0);
    for (const pid of await backends()) await admin.raw('select pg_terminate_backend(?)', [pid]);
    const seen: number[] = [];
    for (let i = 0; i < 20 && seen.at(-1) !== 200; i++) {
      seen.push((await request(instance!.base).get(`/people/${personId}`).set('Cookie', cookie)).status);
      if (seen.at(-1) !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen.at(-1), `statuses: ${seen.join(', ')}\n${instance!.output()}`).to.equal(200);
    expect(seen.filter((s) => s !== 200 && s !== 503), 'anything but a page or a 503').to.deep.equal([]);
    expect(instance!.child.exitCode, instance!.output()).to.equal(null);
  });
});

describe('every way the pg driver reports a lost connection is a 503', function () {
  this.timeout(60_000);

  /** The errors a real connection gives when the server kills it: in flight, afterwards, and killed while idle. */
  async function realErrors(): Promise<{ what: string; err: unknown }[]> {
    const found: { what: string; err: unknown }[] = [];
    const admin = new pg.Client(PG_ADMIN_URL);
    await admin.connect();
    try {
      const kill = async (c: pg.Client) => {
        const pid = (await c.query('select pg_backend_pid() as pid')).rows[0].pid;
        await admin.query('select pg_terminate_backend($1)', [pid]);
      };
      const busy = new pg.Client(PG_ADMIN_URL);
      busy.on('error', (err) => found.push({ what: 'the error event of a killed client', err }));
      await busy.connect();
      const pid = (await busy.query('select pg_backend_pid() as pid')).rows[0].pid;
      const inFlight = busy.query('select pg_sleep(30)').then(() => null, (err: unknown) => err);
      while (!(await admin.query("select 1 from pg_stat_activity where pid = $1 and query like '%pg_sleep%' and state = 'active'", [pid])).rowCount) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await admin.query('select pg_terminate_backend($1)', [pid]);
      found.push({ what: 'a query in flight', err: await inFlight });
      found.push({ what: 'a query after the connection ended', err: await busy.query('select 1').then(() => null, (err: unknown) => err) });

      const idle = new pg.Client(PG_ADMIN_URL);
      const ended = new Promise((r) => idle.on('error', r));
      await idle.connect();
      await kill(idle);
      await ended;
      found.push({ what: 'a query on a client killed while idle', err: await idle.query('select 1').then(() => null, (err: unknown) => err) });

      const refused = new pg.Client({ connectionString: PG_ADMIN_URL.replace(/:\d+\//, ':1/') });
      found.push({ what: 'a refused connection', err: await refused.connect().then(() => null, (err: unknown) => err) });
    } finally {
      await admin.end();
    }
    return found;
  }

  it('in flight, afterwards, killed while idle, refused: each is recognised (no code on some of them)', async () => {
    const found = await realErrors();
    expect(found.map((f) => f.what)).to.include.members(['a query in flight', 'a query after the connection ended', 'a query on a client killed while idle', 'a refused connection']);
    for (const { what, err } of found) {
      expect(err, what).to.be.instanceOf(Error);
      expect(dbErrorKey(err), `${what}: ${(err as Error).message}`).to.equal('errors.dbUnavailable');
    }
    expect(dbErrorKey(new Error('duplicate key value violates unique constraint')), 'other errors stay 500s').to.equal(null);
  });
});
