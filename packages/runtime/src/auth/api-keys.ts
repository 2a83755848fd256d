import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';
import { type ApiScope, ApiScopeSchema } from './roles.ts';
import { hashToken, newToken } from './tokens.ts';

export interface ApiKeyPrincipal {
  kind: 'apiKey';
  id: string;
  name: string;
  scopes: ApiScope[];
}

/** Creates a key; the secret is returned once and only its hash is stored. */
export async function createApiKey(
  db: AppDatabase,
  input: { name: string; scopes: ApiScope[]; createdBy?: string },
): Promise<{ id: string; key: string; prefix: string }> {
  const key = newToken('sk');
  const id = `key_${randomUUID()}`;
  const prefix = key.slice(0, 10);
  await db.prisma.apiKey.create({
    data: {
      id,
      name: input.name,
      prefix,
      keyHash: hashToken(key),
      scopes: JSON.stringify(input.scopes),
      createdBy: input.createdBy ?? null,
    },
  });
  return { id, key, prefix };
}

export async function revokeApiKey(db: AppDatabase, id: string): Promise<boolean> {
  const result = await db.prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  // Refused by this process from now on; other processes stop answering from their copy within
  // KEY_CACHE_MS.
  keysSeen.get(db)?.clear();
  return result.count > 0;
}

/**
 * How long a key looked up stays answered from memory. An integration sends one event per request,
 * thousands a second, with one key: a read and a write per request were most of the request's cost.
 */
export const KEY_CACHE_MS = 5_000;
/** Last use is written at most this often per key (the team page shows it to the minute). */
const LAST_USED_EVERY_MS = 60_000;

interface SeenKey {
  principal: ApiKeyPrincipal | null;
  until: number;
  lastUsedWrittenAt: number;
}

/** Per database (tests open many), by key hash: what the key resolved to and until when. */
const keysSeen = new WeakMap<AppDatabase, Map<string, SeenKey>>();

/** The key behind a secret if it exists and is not revoked; records its last use (at most once a minute). */
export async function apiKeyPrincipal(db: AppDatabase, key: string, now = Date.now()): Promise<ApiKeyPrincipal | null> {
  const hash = hashToken(key);
  let seen = keysSeen.get(db);
  if (!seen) {
    seen = new Map();
    keysSeen.set(db, seen);
  }
  const known = seen.get(hash);
  let principal = known?.principal ?? null;
  if (!known || known.until <= now) {
    const row = await db.prisma.apiKey.findUnique({ where: { keyHash: hash } });
    principal =
      !row || row.revokedAt
        ? null
        : {
            kind: 'apiKey',
            id: row.id,
            name: row.name,
            scopes: z.array(ApiScopeSchema).catch([]).parse(JSON.parse(row.scopes)),
          };
  }
  if (!principal) {
    seen.delete(hash); // unknown secrets are not kept: a stream of guesses must not fill memory
    return null;
  }
  const entry: SeenKey =
    known && known.until > now
      ? known
      : {
          principal,
          until: now + KEY_CACHE_MS,
          lastUsedWrittenAt: known?.lastUsedWrittenAt ?? Number.NEGATIVE_INFINITY,
        };
  if (seen.size > 10_000) seen.clear();
  seen.set(hash, entry);
  if (now - entry.lastUsedWrittenAt >= LAST_USED_EVERY_MS) {
    entry.lastUsedWrittenAt = now;
    await db.prisma.apiKey.update({ where: { id: principal.id }, data: { lastUsedAt: new Date(now) } });
  }
  return principal;
}
