import { expect } from 'chai';
import request from 'supertest';
import { login, testEnv, type LoggedIn, type TestEnv } from '../support/app.js';
import { buildNetwork, type Network } from './network.js';
import { HOSTILE_QUERIES } from './search.domain.test.js';
import { reindexAll } from '../../src/search/index.queries.js';
import { setSetting } from '../../src/settings/settings.queries.js';

const totalOf = (html: string) => Number(/data-total="(\d+)"/.exec(html)?.[1] ?? NaN);
const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

describe('/people and /people.csv over HTTP', () => {
  let env: TestEnv;
  let net: Network;
  let m: LoggedIn;
  before(async () => {
    env = await testEnv();
    net = await buildNetwork(env.db);
    m = await login(env, 'm@example.org', 'manager');
  });
  after(async () => { await env.close(); });

  it('shows the result, the total, facets with counts and removable filters', async () => {
    const res = await m.agent.get('/people?skill=SEO');
    expect(res.status).to.equal(200);
    expect(totalOf(res.text)).to.equal(3);
    expect(res.text).to.contain('Jürgen Müller');
    expect(res.text).to.not.contain('Emil Weber');
    expect(res.text).to.contain('data-facet="city"');
    expect(res.text).to.contain('Remove filter SEO');
    expect(res.text).to.contain('1 person marked do not contact is left out');
  });

  it('following a facet link gives as many people as the facet said', async () => {
    const page = (await m.agent.get('/people?q=schm')).text;
    const links = [...page.matchAll(/<li><a href="([^"]+)">[^<]*<\/a> <span class="count" data-count="(\d+)">/g)];
    expect(links.length).to.be.greaterThan(3);
    for (const [, href, count] of links) {
      const res = await m.agent.get(decode(href!));
      expect(totalOf(res.text), href).to.equal(Number(count));
    }
  });

  it('an unknown skill shows an empty result with a hint, not an error', async () => {
    const res = await m.agent.get('/people?skill=Klingonisch');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('There is no skill called “Klingonisch”');
    expect(totalOf(res.text)).to.equal(0);
  });

  it('a page past the end shows the last page', async () => {
    const res = await m.agent.get('/people?page=999');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Jürgen Müller');
  });

  it('treats hostile search text as text: always 200', async () => {
    for (const q of HOSTILE_QUERIES) {
      const res = await m.agent.get('/people').query({ q });
      // A URL over Node's 16 KB header limit is refused by the HTTP parser (431) before the app sees it.
      const expected = q.length * 3 > 15_000 && q.includes(' ') ? 431 : 200;
      expect(res.status, JSON.stringify(q.slice(0, 40))).to.equal(expected);
    }
    for (const qs of ['q[a]=1', 'skill[x]=1', 'page=1e999', 'org=abc', 'sort[]=x', 'q=%FF%FE', 'city=%00', 'skill=' + '%F0%9F%99%82'.repeat(50)]) {
      expect((await m.agent.get(`/people?${qs}`)).status, qs).to.equal(200);
    }
  });

  it('escapes what people typed in the search', async () => {
    const res = await m.agent.get('/people').query({ q: '<script>alert(1)</script>', city: '"><img src=x>' });
    expect(res.text).to.not.contain('<script>alert(1)</script>');
    expect(res.text).to.not.contain('<img src=x>');
  });

  it('sends anonymous visitors to the login page', async () => {
    expect((await request(env.app).get('/people')).status).to.equal(302);
    expect((await request(env.app).get('/people.csv')).status).to.equal(302);
  });

  describe('CSV', () => {
    it('returns the whole result with a header, BOM, CRLF and commas (English)', async () => {
      const res = await m.agent.get('/people.csv?skill=SEO&sort=name').buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks).toString('utf8')));
      });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      expect(res.headers['content-disposition']).to.match(/attachment; filename="people-\d{4}-\d{2}-\d{2}\.csv"/);
      const body = res.body as string;
      expect(body.charCodeAt(0)).to.equal(0xfeff);
      const lines = body.slice(1).split('\r\n');
      expect(lines[0]).to.match(/^ID,First name,Last name,E-mail,/);
      expect(lines.slice(1).filter(Boolean).map((l) => l.split(',')[2])).to.deep.equal(['Müller', 'Schmitz', 'Yılmaz']);
      const audit = await env.db('audit_log').where({ action: 'export' }).orderBy('id', 'desc').first();
      expect(JSON.parse(audit.changes)).to.deep.equal({ format: 'csv', filter: 'skill=SEO&sort=name', rows: 3 });
      expect(audit.actor).to.equal('m@example.org');
    });

    it('uses semicolons for German, escapes formulas, quotes newlines, and includes every page', async () => {
      const now = new Date().toISOString();
      const rows = Array.from({ length: 120 }, (_, i) => ({ first_name: `P${i}`, last_name: 'Bulk', city: 'Jena', city_norm: 'jena', notes: i === 0 ? '=HYPERLINK("x")\nzweite Zeile' : null, created_at: now, updated_at: now }));
      await env.db.batchInsert('people', rows, 50);
      await reindexAll(env.db);
      const res = await m.agent.get('/people.csv?city=Jena').set('Accept-Language', 'de-DE').buffer(true).parse((r, cb) => {
        let s = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (s += c));
        r.on('end', () => cb(null, s));
      });
      const body = (res.body as string).slice(1);
      expect(body.split('\r\n')[0]).to.match(/^ID;Vorname;Nachname;/);
      expect(body).to.contain(`"'=HYPERLINK(""x"")\nzweite Zeile"`);
      const records = body.split('\r\n').filter((l) => /^\d+;/.test(l));
      expect(records).to.have.length(120);
      const page = await m.agent.get('/people?city=Jena');
      expect(totalOf(page.text)).to.equal(120);
    });

    it('is refused (403) when exports are restricted to managers, for viewers', async () => {
      const v = await login(env, 'v@example.org', 'viewer');
      expect((await v.agent.get('/people.csv')).status).to.equal(200);
      await setSetting(env.db, 'exports_restricted', '1');
      try {
        expect((await v.agent.get('/people.csv')).status).to.equal(403);
        expect((await v.agent.get('/people')).text).to.not.contain('/exports/people');
        expect((await m.agent.get('/people.csv')).status).to.equal(200);
      } finally {
        await setSetting(env.db, 'exports_restricted', '0');
      }
    });
  });

  it('the network is what the tests expect', () => {
    expect(Object.keys(net.people)).to.have.length(7);
  });
});
