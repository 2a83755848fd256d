import type { Request, RequestHandler } from 'express';
import type { Metrics } from '../metrics/registry.ts';

/**
 * The route a request matched, as a pattern (`/r/:code`, `/webhooks/:package/callback`), so ids,
 * codes and tokens in URLs never become label values. tRPC has no express route: its procedure
 * names count only when they are the API's own (`isProcedure`), or anyone could mint labels.
 */
export function routeLabel(req: Request, status: number, isProcedure: (name: string) => boolean): string {
  const path = req.route?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  if (req.originalUrl.startsWith('/trpc/')) {
    const name = req.originalUrl.slice('/trpc/'.length).split(/[?/]/)[0] ?? '';
    if (name.includes(',')) return '/trpc/(batch)';
    return isProcedure(name) ? `/trpc/${name}` : '/trpc/(unknown)';
  }
  return status === 404 ? '(unmatched)' : '(static)';
}

/** Times every request into siyu_http_request_duration_seconds, labelled when the response is done. */
export function requestMetrics(metrics: Metrics, isProcedure: (name: string) => boolean = () => false): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      end({ method: req.method, route: routeLabel(req, res.statusCode, isProcedure), status: String(res.statusCode) });
    });
    next();
  };
}
