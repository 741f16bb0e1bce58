// inOrder: a chain of middleware as one router layer, with Express's own semantics for errors and promises.
import { expect } from 'chai';
import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { inOrder } from '../../src/http/in-order.js';

function appWith(...steps: express.RequestHandler[]) {
  const app = express();
  app.use(inOrder(...steps));
  app.get('/', (req, res) => { res.json((req as Request & { seen?: string[] }).seen ?? []); });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => { res.status(500).send(`error: ${err.message}`); });
  return app;
}
const mark = (name: string) => (req: Request, _res: Response, next: NextFunction) => {
  ((req as Request & { seen?: string[] }).seen ??= []).push(name);
  next();
};

describe('inOrder', () => {
  it('runs every step in order, then the routes after it', async () => {
    expect((await request(appWith(mark('a'), mark('b'), mark('c'))).get('/')).body).to.deep.equal(['a', 'b', 'c']);
  });

  it('a step may answer itself: the rest and the routes do not run', async () => {
    const res = await request(appWith(mark('a'), (_req, res) => { res.send('stopped'); }, mark('never'))).get('/');
    expect(res.text).to.equal('stopped');
  });

  it('next(err), a throw and a rejected promise each reach the error handler and skip the rest', async () => {
    const never = (_req: Request, res: Response) => { res.send('ran on'); };
    for (const bad of [
      (_req: Request, _res: Response, next: NextFunction) => next(new Error('passed')),
      () => { throw new Error('thrown'); },
      async () => { throw new Error('rejected'); },
    ]) {
      const res = await request(appWith(mark('a'), bad as express.RequestHandler, never)).get('/');
      expect(res.status).to.equal(500);
      expect(res.text).to.match(/^error: (passed|thrown|rejected)$/);
    }
  });

  it('an asynchronous step continues the chain when it calls next later', async () => {
    const later = (req: Request, _res: Response, next: NextFunction) => { setTimeout(() => { ((req as Request & { seen?: string[] }).seen ??= []).push('later'); next(); }, 5); };
    expect((await request(appWith(mark('a'), later, mark('b'))).get('/')).body).to.deep.equal(['a', 'later', 'b']);
  });
});
