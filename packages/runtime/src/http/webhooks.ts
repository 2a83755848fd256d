import type { JourneyEventInput, ServerNodePackage, WebhookRequest } from '@siyu/shared';
import express from 'express';
import type { JourneyEngine } from '../engine/api.ts';
import type { Logger } from '../logger.ts';

/**
 * Mounts every node package's webhooks at /webhooks/<package>/<path>. The body is kept raw (the
 * providers sign exact bytes). Events the handler returns are ingested before answering, so a
 * failure makes the provider retry; retries are harmless because events are de-duplicated by id.
 */
export function webhookRouter(
  packages: readonly ServerNodePackage[],
  engine: JourneyEngine,
  logger?: Logger,
  /** Told what each callback brought, once ingested (the staff directory learns of new members). */
  onIngested?: (events: readonly JourneyEventInput[]) => Promise<unknown>,
): express.Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '5mb' });
  for (const pkg of packages) {
    for (const route of pkg.webhooks ?? []) {
      const mount = `/${pkg.name}${route.path.startsWith('/') ? route.path : `/${route.path}`}`;
      const handler: express.RequestHandler = async (req, res, next) => {
        const request: WebhookRequest = {
          method: req.method,
          path: route.path,
          query: Object.fromEntries(
            Object.entries(req.query).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v ?? '')]),
          ),
          headers: Object.fromEntries(
            Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]),
          ),
          body: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '',
        };
        try {
          const result = await route.handle(request);
          for (const event of result.events) await engine.ingestEvent(event, `webhook:${pkg.name}`);
          // After the answer's work, never in its way: a failure here is logged, not the provider's.
          if (onIngested && result.events.length > 0) {
            onIngested(result.events).catch((error: unknown) =>
              logger?.warn({ err: error, webhook: mount }, 'webhook follow-up failed'),
            );
          }
          if (result.response.headers) res.set(result.response.headers);
          res.status(result.response.status).type(result.response.contentType).send(result.response.body);
        } catch (error) {
          logger?.error({ err: error, webhook: mount, requestId: res.locals.requestId }, 'webhook failed');
          next(error); // the app's error handler answers 500 with the request id, no stack
        }
      };
      if (route.method === 'GET') router.get(mount, handler);
      else router.post(mount, raw, handler);
    }
  }
  return router;
}
