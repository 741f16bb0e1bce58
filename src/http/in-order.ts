// Middleware that runs on every request, as one layer of Express's router instead of one layer each: Express walks
// its stack per request (match the path, trim the prefix, re-parse the URL, wrap the call), which cost about as much
// as the work of the dozen small steps every page passes through. Same order, same semantics: a step that calls
// next(err), throws, or returns a promise that rejects passes the error on to Express, which skips to the error
// handler; next('route') / next('router') leave the chain like any other non-error value Express understands.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export function inOrder(...handlers: RequestHandler[]): RequestHandler {
  const steps = handlers.slice();
  return (req: Request, res: Response, out: NextFunction) => {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err !== undefined && err !== null) return out(err);
      const step = steps[i++];
      if (!step) return out();
      try {
        const ret = step(req, res, next) as unknown;
        if (ret instanceof Promise) ret.then(undefined, (e: unknown) => out(e ?? new Error('Rejected promise')));
      } catch (e) {
        out(e);
      }
    };
    next();
  };
}
