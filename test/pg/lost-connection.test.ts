// A lost database connection while serving: pages answer 503 with a readable page, and the app recovers by
// itself once the database is reachable again. The connection runs through a TCP relay that the test cuts
// (every open connection reset, new ones refused) and restores: the PostgreSQL server itself keeps running
// for the other tests. (npm run test:pg only.)
import { createServer, connect, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { createDb } from '../../src/db.js';
import { addUser, csrfFrom, PASSWORD } from '../support/app.js';
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
