import type { AnyRouter } from '@trpc/server';
import express from 'express';

/** Every request but a file upload: events, journeys, settings. A journey graph is far below this. */
export const SMALL_BODY_LIMIT = '2mb';

/** Procedures declared with `.meta({ largeBody: true })`, by their dotted path. */
export function largeBodyPaths(router: AnyRouter): Set<string> {
  const paths = new Set<string>();
  const procedures = router._def.procedures as Record<string, { _def: { meta?: { largeBody?: boolean } } }>;
  for (const [path, procedure] of Object.entries(procedures)) {
    if (procedure._def.meta?.largeBody) paths.add(path);
  }
  return paths;
}

/**
 * Mounted at /trpc before the tRPC handler. tRPC has one maxBodySize for every procedure, sized
 * for customer files; here every request whose procedures did not all declare `largeBody` (one
 * path, or a batch `a,b`) is read up front with a small limit, so a 60 MB "event" is refused with
 * 413 after 2 MB instead of being buffered and parsed. tRPC uses the text already read (req.body).
 */
export function smallBodyUnlessLarge(router: AnyRouter): express.RequestHandler {
  const large = largeBodyPaths(router);
  const readSmall = express.text({ type: () => true, limit: SMALL_BODY_LIMIT });
  return (req, res, next) => {
    let paths: string[] = [];
    try {
      paths = decodeURIComponent(req.path.replace(/^\//, '')).split(',');
    } catch {
      // A malformed path names no procedure: the small limit applies (tRPC answers NOT_FOUND).
    }
    if (paths.length > 0 && paths.every((p) => large.has(p))) next();
    else readSmall(req, res, next);
  };
}
