// byFirstSegment (src/http/route-index.ts): a request walks only the routers with a route under its first path
// segment, plus those that may answer anything, in their order — and gets the answer it got before.
import { expect } from 'chai';
import express, { Router } from 'express';
import request from 'supertest';
import { byFirstSegment, segmentsOf } from '../../src/http/route-index.js';
import { apiRoutes } from '../../src/api/api.routes.js';
import { testConfig } from '../../src/config.js';
import { createDb } from '../../src/db.js';

describe('routers walked by first path segment', () => {
  const walked: string[] = [];
  const mark = (name: string) => (_req: unknown, _res: unknown, next: () => void) => { walked.push(name); next(); };

  const people = Router();
  people.use(mark('people'));
  const peopleRoutes = Router();
  peopleRoutes.get('/people', (_req, res) => { res.send('list'); });
  peopleRoutes.get('/people/:id', (req, res, next) => (req.params.id === 'skip' ? next() : res.send(`person ${req.params.id}`)));
  peopleRoutes.get('/people.csv', (_req, res) => { res.send('csv'); });
  const later = Router();
  later.get('/people/skip', (_req, res) => { res.send('later'); });
  later.post('/about', (_req, res) => { res.send('posted'); });
  const slug = Router();
  slug.get('/:slug/info', (req, res) => { res.send(`slug ${req.params.slug}`); });
  const failing = Router();
  failing.get('/fail', () => { throw new Error('boom'); });

  function app() {
    const a = express();
    a.use(byFirstSegment([peopleRoutes, people, later, slug, failing]));
    a.use((_req, res) => { res.status(404).send('none'); });
    a.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => { res.status(500).send(err.message); });
    return a;
  }

  beforeEach(() => { walked.length = 0; });

  it('knows each router\'s first segments, or that it may answer anything', () => {
    expect([...segmentsOf(peopleRoutes)!].sort()).to.deep.equal(['people', 'people.csv']);
    expect([...segmentsOf(later)!].sort()).to.deep.equal(['about', 'people']);
    expect(segmentsOf(people)).to.equal(null); // router-wide middleware
    expect(segmentsOf(slug)).to.equal(null); // a pattern in the first segment
  });

  it('answers as the routers in order would, skipping those that cannot match', async () => {
    expect((await request(app()).get('/people/7')).text).to.equal('person 7');
    expect((await request(app()).get('/PEOPLE/')).text).to.equal('list');
    expect((await request(app()).get('/people.csv')).text).to.equal('csv');
    expect((await request(app()).get('/people/skip')).text).to.equal('later'); // next() goes on in order
    expect(walked).to.deep.equal(['people']); // the router-wide middleware still runs, in its place
    expect((await request(app()).post('/about')).text).to.equal('posted');
    expect((await request(app()).get('/x/info')).text).to.equal('slug x');
    expect((await request(app()).get('/nothing')).status).to.equal(404);
    const failed = await request(app()).get('/fail');
    expect([failed.status, failed.text]).to.deep.equal([500, 'boom']);
  });

  it('the JSON API\'s router is walked only by paths under /api (pages no longer try its routes)', async () => {
    const db = createDb(testConfig());
    try {
      expect([...(segmentsOf(apiRoutes({ db, config: testConfig() })) ?? ['(any path)'])]).to.deep.equal(['api']);
    } finally {
      await db.destroy();
    }
  });
});
