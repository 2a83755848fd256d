// Aliyun and Tencent do not sign their receipt and reply pushes, so — as integrators do — the
// callback URL itself carries an unguessable per-deployment token (`?token=`). Without it anyone
// could forge an "R" reply (opting a real customer out), create customers, or set message status.
// UNCONFIRMED: that the Aliyun and Tencent consoles keep a query string in the callback URL as
// entered (both take a free-form URL; neither documents stripping it).
import { createHash, timingSafeEqual } from 'node:crypto';

/** The query parameter that carries the token on /aliyun/* and /tencent/* callbacks. */
export const CALLBACK_TOKEN_PARAM = 'token';

/**
 * Constant-time comparison (both sides hashed first, so neither the content nor the length of the
 * expected token leaks through timing). An empty expected token never matches.
 */
export function callbackTokenMatches(given: string | undefined, expected: string): boolean {
  if (!expected || !given) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
