import type { IncomingHttpHeaders } from 'node:http';
import { apiKeyPrincipal } from '../auth/api-keys.ts';
import type { Principal } from '../auth/principal.ts';
import { operatorForSession, SESSION_COOKIE } from '../auth/sessions.ts';
import type { AppDatabase } from '../db/app-database.ts';

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * Who is calling: a session (cookie, or `Authorization: Bearer sess_…` for scripts) or an API key
 * (`Authorization: Bearer sk_…` or `X-Api-Key`). Unknown or expired credentials count as none.
 */
export async function principalFromHeaders(
  db: AppDatabase,
  headers: IncomingHttpHeaders,
): Promise<{ principal: Principal | null; sessionToken: string | null }> {
  const bearer = headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  const apiKey = (headers['x-api-key'] as string | undefined) ?? (bearer?.startsWith('sk_') ? bearer : null);
  if (apiKey) return { principal: await apiKeyPrincipal(db, apiKey), sessionToken: null };
  const sessionToken = bearer?.startsWith('sess_') ? bearer : readCookie(headers.cookie, SESSION_COOKIE);
  if (!sessionToken) return { principal: null, sessionToken: null };
  return { principal: await operatorForSession(db, sessionToken), sessionToken };
}
