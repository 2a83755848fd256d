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
export function smallBodyUnlessLarge(
  router: AnyRouter,
  /**
   * Whether the caller is signed in (a session or an API key). tRPC buffers and parses the whole
   * body before any procedure checks its caller, so without this anyone could have the server
   * read 60 MB per request; unsigned callers get the small limit even on `largeBody` paths.
   */
  signedIn: (req: express.Request) => Promise<boolean> = async () => true,
): express.RequestHandler {
  const large = largeBodyPaths(router);
  const readSmall = express.text({ type: () => true, limit: SMALL_BODY_LIMIT });
  return (req, res, next) => {
    let paths: string[] = [];
    try {
      paths = decodeURIComponent(req.path.replace(/^\//, '')).split(',');
    } catch {
      // A malformed path names no procedure: the small limit applies (tRPC answers NOT_FOUND).
    }
    if (!(paths.length > 0 && paths.every((p) => large.has(p)))) {
      readSmall(req, res, next);
      return;
    }
    signedIn(req).then(
      (yes) => (yes ? next() : readSmall(req, res, next)),
      (error: unknown) => next(error),
    );
  };
}
