import { createHash, randomBytes } from 'node:crypto';

/** A random secret for a session cookie or an API key; only its SHA-256 is stored. */
export function newToken(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** Tokens are long random strings, so a fast hash is enough (no brute force over 192 bits). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
