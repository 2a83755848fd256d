import { randomUUID } from 'node:crypto';
import type express from 'express';

/** A caller's own id is kept only if it is short and plain (it goes into logs and a header). */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request id of a request that went through `requestId()`, for logs and error bodies. */
export function requestIdOf(res: express.Response): string | undefined {
  return res.locals.requestId as string | undefined;
}

/**
 * Gives every request an id, answered in `X-Request-Id` and carried in every error body, so an
 * operator reporting a failure can quote it and we find the details (stack, SQL) in the log;
 * responses themselves never carry stacks or file paths.
 */
export function requestId(): express.RequestHandler {
  return (req, res, next) => {
    const given = req.get('x-request-id');
    const id = given && SAFE_ID.test(given) ? given : `req_${randomUUID()}`;
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
