// Feature routers, walked only where they can answer. Mounted one after the other with app.use, every router
// was tried for every request — about thirty routers matched against the path, 4–6 % of an almost empty page
// (BENCHMARKS.md). byFirstSegment(routers) reads, once at start, the first path segment of every route each
// router holds (/people/:id → "people"; nested routers included) and, per request, runs in their order only the
// routers that have a route under the request's first segment, plus those that may answer any path (router-wide
// middleware, a pattern in the first segment, a RegExp path). Same routers, same order, same result.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

interface LayerLike {
  route?: { path?: unknown };
  rawPath?: unknown;
  slash?: boolean;
  handle?: RequestHandler & { stack?: LayerLike[] };
}

/** "" for "/", the literal first segment (lower case), or null: may match any first segment. */
function firstSegment(routePath: unknown): string | null {
  if (typeof routePath !== 'string' || !routePath.startsWith('/')) return null;
  const end = routePath.indexOf('/', 1);
  const seg = routePath.slice(1, end < 0 ? undefined : end);
  return /[:*?+(){}[\]\\]/.test(seg) ? null : seg.toLowerCase();
}

/** The first segments a router answers under, or null when it may answer any path. */
export function segmentsOf(router: RequestHandler): Set<string> | null {
  const stack = (router as LayerLike['handle'])?.stack;
  if (!Array.isArray(stack)) return null;
  const segs = new Set<string>();
  for (const layer of stack) {
    const paths = layer.route ? layer.route.path : layer.rawPath;
    for (const p of Array.isArray(paths) ? paths : [paths]) {
      if (!layer.route && layer.slash) {
        // router-wide: a nested router adds its own segments, any other middleware runs for every path
        const inner = layer.handle ? segmentsOf(layer.handle) : null;
        if (!inner) return null;
        for (const s of inner) segs.add(s);
        continue;
      }
      const seg = firstSegment(p);
      if (seg === null) return null;
      segs.add(seg);
    }
  }
  return segs;
}

function segmentOfRequest(path: string): string {
  const end = path.indexOf('/', 1);
  return path.slice(1, end < 0 ? undefined : end).toLowerCase();
}

/** One middleware that runs `routers` in order, skipping those that have no route under the request's first segment. */
export function byFirstSegment(routers: RequestHandler[]): RequestHandler {
  const segments = routers.map(segmentsOf);
  const everywhere = routers.filter((_, i) => segments[i] === null);
  const bySegment = new Map<string, RequestHandler[]>();
  for (const seg of new Set(segments.flatMap((s) => (s ? [...s] : [])))) {
    bySegment.set(seg, routers.filter((_, i) => segments[i] === null || segments[i]!.has(seg)));
  }
  const dispatch = (req: Request, res: Response, next: NextFunction) => {
    const list = bySegment.get(segmentOfRequest(req.path)) ?? everywhere;
    let i = 0;
    const step = (err?: unknown): void => {
      // a router passes an error on (Express would skip the remaining routers too) or finds nothing: the next one
      if (err !== undefined && err !== null && err !== 'router') return next(err);
      const router = list[i++];
      if (!router) return next();
      router(req, res, step);
    };
    step();
  };
  // the routers stay visible to whatever walks the app's router stack (the CSRF and OpenAPI tests list every route)
  return Object.assign(dispatch, { stack: routers.map((handle) => ({ handle })) });
}
