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
  return result.count > 0;
}

/** The key behind a secret if it exists and is not revoked; records its last use. */
export async function apiKeyPrincipal(db: AppDatabase, key: string): Promise<ApiKeyPrincipal | null> {
  const row = await db.prisma.apiKey.findUnique({ where: { keyHash: hashToken(key) } });
  if (!row || row.revokedAt) return null;
  await db.prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  const scopes = z.array(ApiScopeSchema).catch([]).parse(JSON.parse(row.scopes));
  return { kind: 'apiKey', id: row.id, name: row.name, scopes };
}
