import type express from 'express';
import { rateLimit } from 'express-rate-limit';

/**
 * Requests per minute per client address on the unauthenticated endpoints. Generous on purpose: a
 * provider's callbacks arrive in bursts from a handful of its addresses, and a campaign's tracked
 * links are opened by many customers behind the same carrier NAT. The limits only stop floods.
 */
export interface PublicRateLimits {
  /** Tracked links, `/r/*`. */
  linksPerMinute: number;
  /** Provider callbacks, `/webhooks/*`. */
  webhooksPerMinute: number;
}

export const DEFAULT_PUBLIC_RATE_LIMITS: PublicRateLimits = { linksPerMinute: 600, webhooksPerMinute: 3000 };

const RATE_LIMITED = { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试 Too many requests; try again later' };

/**
 * Mounts the per-address limiters before the routes they guard. Counters are in memory: a restart
 * resetting a one-minute flood window is harmless (sign-in counters, which matter across restarts,
 * live in the database: see auth/login-throttle.ts). Over the limit: 429 with Retry-After.
 */
export function mountPublicRateLimits(
  app: express.Express,
  limits: PublicRateLimits = DEFAULT_PUBLIC_RATE_LIMITS,
): void {
  const limiter = (limit: number, respond: (res: express.Response) => void) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => respond(res.status(429)),
    });
  // A person opened the link: plain text they can read.
  app.use(
    '/r',
    limiter(limits.linksPerMinute, (res) => res.type('text/plain; charset=utf-8').send(RATE_LIMITED.message)),
  );
  // A provider called back: JSON, and the provider retries later as its contract says.
  app.use(
    '/webhooks',
    limiter(limits.webhooksPerMinute, (res) => res.json(RATE_LIMITED)),
  );
}
