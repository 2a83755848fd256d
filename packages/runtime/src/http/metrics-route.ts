import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { Metrics } from '../metrics/registry.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read /metrics. With a token (METRICS_TOKEN): whoever sends `Authorization: Bearer
 * <token>`. Without one: only the machine itself, judged by the socket's address (never req.ip,
 * which TRUST_PROXY takes from a header), and never a request a proxy forwarded: behind a local
 * nginx every public request arrives from 127.0.0.1 too.
 */
export function metricsAllowed(req: Request, token: string | undefined): boolean {
  if (token) {
    // Both sides hashed first: neither the token's content nor its length leaks through timing.
    const digest = (text: string) => createHash('sha256').update(text).digest();
    return timingSafeEqual(digest(req.get('authorization') ?? ''), digest(`Bearer ${token}`));
  }
  const proxied = req.get('x-forwarded-for') !== undefined || req.get('forwarded') !== undefined;
  return !proxied && LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/** GET /metrics: the registry in Prometheus' text format, for whoever metricsAllowed admits. */
export function metricsHandler(metrics: Metrics, token: string | undefined): RequestHandler {
  return async (req, res) => {
    if (!metricsAllowed(req, token)) {
      res.status(token ? 401 : 403).json({
        error: token
          ? 'send Authorization: Bearer <METRICS_TOKEN>'
          : 'metrics are served to this machine only (set METRICS_TOKEN to scrape from elsewhere)',
      });
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
