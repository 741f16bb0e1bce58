// The session layer (src/http/session.ts) on its own: a small Express app over the real session store and
// database, so every rule of the cookie and the stored row is seen directly.
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import type { Knex } from 'knex';
import { testDb } from '../support/app.js';
import { SessionStore } from '../../src/http/session-store.js';
import { sessions } from '../../src/http/session.js';

const MAX_AGE = 8 * 60 * 60 * 1000;

function appOver(db: Knex, store: SessionStore, secure = false, secret = 'a test secret of some length') {
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(sessions({ name: 'skillnet.sid', secret, store, maxAge: MAX_AGE, secure }));
  app.get('/read', (req, res) => { res.json({ id: req.sessionID, colour: (req.session as { colour?: string } | undefined)?.colour ?? null }); });
  app.get('/set', (req, res) => { (req.session as { colour?: string }).colour = String(req.query.colour); res.send('ok'); });
  app.get('/regenerate', (req, res, next) => {
    const before = req.sessionID;
    req.session.regenerate((err) => {
      if (err) return next(err);
      (req.session as { colour?: string }).colour = 'fresh';
      res.json({ before, after: req.sessionID });
    });
  });
  app.get('/destroy', (req, res, next) => { req.session.destroy((err) => (err ? next(err) : res.send('gone'))); });
  return app;
}

const sessionCookie = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('skillnet.sid='));
const rows = async (db: Knex) => (await db('sessions').select('sid', 'sess', 'expired')) as { sid: string; sess: string; expired: string | Date }[];

describe('the session layer', () => {
  let db: Knex;
  let store: SessionStore;
  beforeEach(async () => {
    db = await testDb();
    store = new SessionStore({ knex: db, createTable: false, tableName: 'sessions', cleanupInterval: 0 });
  });
  afterEach(async () => { await db.destroy(); });

  it('an untouched session is never stored and sends no cookie; a changed one is stored before the answer ends', async () => {
    const app = appOver(db, store);
    const read = await request(app).get('/read');
    expect(read.body.colour).to.equal(null);
    expect(sessionCookie(read)).to.equal(undefined);
    expect(await rows(db)).to.have.length(0);

    const set = await request(app).get('/set?colour=green');
    const cookie = sessionCookie(set)!;
    expect(cookie).to.match(/^skillnet\.sid=s%3A[\w-]{32}\.[\w%]+; Path=\/; Expires=[^;]+ GMT; HttpOnly; SameSite=Lax$/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
    expect(Math.abs(expires - (Date.now() + MAX_AGE))).to.be.below(5000);
    // the row is there as soon as the answer is: the browser's next request finds it
    const stored = await rows(db);
    expect(stored).to.have.length(1);
    const sess = JSON.parse(stored[0]!.sess) as { colour: string; cookie: { originalMaxAge: number; httpOnly: boolean } };
    expect(sess.colour).to.equal('green');
    expect(sess.cookie).to.include({ originalMaxAge: MAX_AGE, httpOnly: true });
    expect(Math.abs(new Date(stored[0]!.expired).getTime() - (Date.now() + MAX_AGE))).to.be.below(5000);

    const again = await request(app).get('/read').set('Cookie', cookie.split(';')[0]!);
    expect(again.body).to.deep.equal({ id: stored[0]!.sid, colour: 'green' });
  });

  it('a page view sends the cookie again and moves the expiry on only when a minute has passed since the last time', async () => {
    const app = appOver(db, store);
    const cookie = sessionCookie(await request(app).get('/set?colour=blue'))!.split(';')[0]!;
    const quick = await request(app).get('/read').set('Cookie', cookie);
    expect(quick.body.colour).to.equal('blue');
    expect(sessionCookie(quick), 'just saved: nothing to move on').to.equal(undefined);
    await db('sessions').update({ expired: new Date(Date.now() + 60_000).toISOString() });
    // a minute later (the store's record of the last touch forgotten): cookie and row move on together
    (store as unknown as { touchedAt: Map<string, number> }).touchedAt.clear();
    const later = await request(app).get('/read').set('Cookie', cookie);
    expect(sessionCookie(later)).to.match(/Expires=/);
    for (let i = 0; i < 50 && new Date((await rows(db))[0]!.expired).getTime() < Date.now() + MAX_AGE - 60_000; i++) await new Promise((r) => setTimeout(r, 20));
    expect(new Date((await rows(db))[0]!.expired).getTime()).to.be.above(Date.now() + MAX_AGE - 60_000);
    expect(sessionCookie(await request(app).get('/read').set('Cookie', cookie))).to.equal(undefined);
  });

  it('regenerate gives a new id and forgets the old row; destroy removes the row', async () => {
    const app = appOver(db, store);
    const cookie = sessionCookie(await request(app).get('/set?colour=red'))!.split(';')[0]!;
    const [old] = await rows(db);
    const regen = await request(app).get('/regenerate').set('Cookie', cookie);
    expect(regen.body.before).to.equal(old!.sid);
    expect(regen.body.after).to.not.equal(old!.sid);
    const fresh = sessionCookie(regen)!.split(';')[0]!;
    expect((await rows(db)).map((r) => r.sid)).to.deep.equal([regen.body.after]);
    expect((await request(app).get('/read').set('Cookie', cookie)).body.colour, 'the old cookie opens nothing').to.equal(null);
    expect((await request(app).get('/read').set('Cookie', fresh)).body.colour).to.equal('fresh');
    expect((await request(app).get('/destroy').set('Cookie', fresh)).text).to.equal('gone');
    expect(await rows(db)).to.have.length(0);
  });

  it('refuses a forged, a re-signed or an expired cookie: the request gets a new, empty session', async () => {
    const app = appOver(db, store);
    const cookie = sessionCookie(await request(app).get('/set?colour=violet'))!.split(';')[0]!;
    const value = decodeURIComponent(cookie.slice('skillnet.sid='.length));
    const id = value.slice(2, value.lastIndexOf('.'));
    const forged = `skillnet.sid=${encodeURIComponent(`s:${id}.${'A'.repeat(43)}`)}`;
    const unsigned = `skillnet.sid=${encodeURIComponent(id)}`;
    const otherSecret = sessionCookie(await request(appOver(db, store, false, 'another secret entirely')).get('/set?colour=x'))!.split(';')[0]!;
    for (const bad of [forged, unsigned, 'skillnet.sid=%E0%A4%A', `${otherSecret}`]) {
      const res = await request(app).get('/read').set('Cookie', bad);
      expect(res.status).to.equal(200);
      expect(res.body.colour, bad).to.equal(null);
      expect(res.body.id).to.not.equal(id);
    }
    // the right cookie among others still works
    expect((await request(app).get('/read').set('Cookie', `a=1; ${cookie}; b=2`)).body.colour).to.equal('violet');
    await db('sessions').update({ expired: new Date(Date.now() - 1000).toISOString() });
    (store as unknown as { cache: Map<string, unknown> }).cache.clear();
    expect((await request(app).get('/read').set('Cookie', cookie)).body.colour, 'expired').to.equal(null);
  });

  it('a Secure cookie only over HTTPS (behind the trusted proxy), never over plain HTTP', async () => {
    const app = appOver(db, store, true);
    expect(sessionCookie(await request(app).get('/set?colour=plain'))).to.equal(undefined);
    const https = await request(app).get('/set?colour=tls').set('X-Forwarded-Proto', 'https');
    expect(sessionCookie(https)).to.match(/; HttpOnly; Secure; SameSite=Lax$/);
  });
});
