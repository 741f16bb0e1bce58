// Test harness: a real app on a fresh in-memory SQLite (PostgreSQL under npm run test:pg), and supertest agents that log in for real with CSRF.
import request from 'supertest';
import type { Knex } from 'knex';
import { createApp, type App } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { createDb, migrate } from '../../src/db.js';
import { hashPassword } from '../../src/users/passwords.service.js';
import { insertUser } from '../../src/users/users.queries.js';
import type { Role } from '../../src/users/roles.domain.js';
import { freshPgDb, onPostgres } from './pg.js';

export const PASSWORD = 'correct horse battery';

export interface TestEnv {
  db: Knex;
  app: App;
  close(): Promise<void>;
}

let cachedHash: string | null = null;

/** A fresh migrated database: in-memory SQLite, or under npm run test:pg a new PostgreSQL database. */
export async function testDb(): Promise<Knex> {
  if (onPostgres) return freshPgDb();
  const db = createDb(testConfig());
  await migrate(db);
  return db;
}

export async function testEnv(opts: { loginAttempts?: number } = {}): Promise<TestEnv> {
  const db = await testDb();
  const app = createApp({ db, config: testConfig(), loginAttempts: opts.loginAttempts ?? 1000 });
  return {
    db,
    app,
    async close() {
      await app.shutdown();
      await db.destroy();
    },
  };
}

/** Creates a user directly (fast: the hash is computed once per run). */
export async function addUser(db: Knex, email: string, role: Role, organisationId: number | null = null): Promise<number> {
  cachedHash ??= await hashPassword(PASSWORD);
  return insertUser(db, { email, name: email.split('@')[0]!, role, passwordHash: cachedHash, organisationId });
}

/** Reads the CSRF token from a page's first form. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

export type Agent = ReturnType<typeof request.agent>;

export interface LoggedIn {
  agent: Agent;
  /** a fresh CSRF token for the session (read from a page) */
  csrf(path?: string): Promise<string>;
  /** POSTs a form with the CSRF token added */
  post(path: string, form: Record<string, string | string[]>): Promise<request.Response>;
}

/** Logs in through the real /login form (creating the user first if a role is given). */
export async function login(env: TestEnv, email: string, role?: Role, organisationId: number | null = null): Promise<LoggedIn> {
  if (role) await addUser(env.db, email, role, organisationId);
  const agent = request.agent(env.app);
  const page = await agent.get('/login');
  const res = await agent.post('/login').type('form').send({ email, password: PASSWORD, _csrf: csrfFrom(page.text) });
  if (res.status !== 302 || res.headers.location === '/login') throw new Error(`login failed for ${email}: ${res.status}`);
  const csrf = async (path = '/people') => csrfFrom((await agent.get(path)).text);
  return {
    agent,
    csrf,
    async post(path, form) {
      const token = await csrf();
      return agent.post(path).type('form').send({ ...form, _csrf: token });
    },
  };
}
