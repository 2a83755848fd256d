import { isUtf8 } from 'node:buffer';
import type { AnyRouter } from '@trpc/server';
import express from 'express';

/** Every request but a file upload: events, journeys, settings. A journey graph is far below this. */
export const SMALL_BODY_LIMIT = '2mb';

/**
 * A body declared (or defaulted) UTF-8 that is not: decoding would replace the bad bytes with U+FFFD
 * and store that (a GBK file pasted as JSON became "��" in a channel's name). Refused with 400 and
 * the error handler's BAD_ENCODING instead. A body that declares another charset is decoded as such.
 */
function refuseBrokenUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8' || isUtf8(body)) return;
  throw Object.assign(new Error('request body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
}

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
  const readSmall = express.text({ type: () => true, limit: SMALL_BODY_LIMIT, verify: refuseBrokenUtf8 });
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
