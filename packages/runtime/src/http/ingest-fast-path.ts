import { JourneyEventSchema } from '@siyu/shared';
import type { RequestHandler } from 'express';
import type { ServerDeps } from '../trpc/context.ts';
import { ingestActor } from '../trpc/trpc.ts';
import { principalFromHeaders } from './principal-from-headers.ts';

/**
 * `POST /trpc/events.ingest`, the call integrations make thousands of times a second (one event
 * per request), answered without tRPC's request machinery: its adapter turns every Node request
 * into a Fetch Request with its own AbortSignal and copies context and result objects — a third of
 * the server's CPU per event in the HTTP ingest bench's profile (bench/http-ingest.ts).
 *
 * Only the plain success is answered here, in tRPC's own response form (`{"result":{"data":…}}`,
 * no transformer), after the same checks: the caller (ingestActor, shared with ingestProcedure) and
 * the event (JourneyEventSchema, the procedure's input). Anything else — a batch call, no or
 * insufficient credentials, a body that is not one valid event, an id reused for another event, an
 * error while ingesting — goes on to tRPC untouched, which answers it as it always has. For a reused
 * id tRPC runs the procedure again: the stored event makes that second run find the same conflict
 * and write nothing.
 *
 * Mounted at /trpc after smallBodyUnlessLarge, which has read the body as text (`req.body`).
 */
export function ingestFastPath(api: Pick<ServerDeps, 'db' | 'engine'>): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || req.path !== '/events.ingest' || typeof req.body !== 'string' || 'batch' in req.query)
      return next();
    const text = req.body;
    (async () => {
      const { principal } = await principalFromHeaders(api.db, req.headers);
      const allowed = ingestActor(principal, 'events:write');
      if ('error' in allowed) return false;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return false;
      }
      const event = JourneyEventSchema.safeParse(body);
      if (!event.success) return false;
      const outcome = await api.engine.ingestEvent(event.data, allowed.actor);
      if (outcome.status === 'conflict') return false;
      res
        .status(200)
        .type('application/json')
        .send(JSON.stringify({ result: { data: outcome } }));
      return true;
    })().then(
      (answered) => {
        if (!answered) next();
      },
      () => next(),
    );
  };
}
