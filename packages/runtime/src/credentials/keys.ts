// The key credentials are encrypted with. Production sets CREDENTIALS_KEY (32 random bytes, base64
// or hex); on the embedded default (`pnpm start` without it) a key is generated once into the data
// folder next to the SQLite file (credentials.key, mode 0600), so a fresh install works and keeps
// working across restarts. Rotation: set the new key as CREDENTIALS_KEY and the old one as
// CREDENTIALS_KEY_PREVIOUS, run `cli credentials rotate`, then drop CREDENTIALS_KEY_PREVIOUS.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export interface CredentialKey {
  /** First 16 hex digits of the key's SHA-256: stored with each record, names the key without revealing it. */
  id: string;
  key: Buffer;
}

export interface CredentialKeys {
  /** Encrypts every write. */
  current: CredentialKey;
  /** Still accepted for reading, while a rotation is under way. */
  previous?: CredentialKey;
}

const KEY_MESSAGE =
  'must be 32 random bytes as base64 (44 characters) or hex (64 characters), e.g. `openssl rand -base64 32`';

function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  return undefined;
}

/** CREDENTIALS_KEY / CREDENTIALS_KEY_PREVIOUS as config.ts validates them. */
export const CredentialKeyTextSchema = z.string().refine((v) => decodeKey(v) !== undefined, { message: KEY_MESSAGE });

export function credentialKeyFrom(text: string): CredentialKey {
  const key = decodeKey(text);
  if (!key) throw new Error(`credentials key ${KEY_MESSAGE}`);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** Where the generated key of a database lives: next to its SQLite file. */
export function generatedKeyPath(databasePath: string): string {
  return join(dirname(databasePath), 'credentials.key');
}

const cache = new Map<string, CredentialKeys>();

/**
 * The keys for a database: from the environment when CREDENTIALS_KEY is set, else the generated
 * key file next to the database (created on first use; `onGenerated` is told so it can log where).
 */
export function credentialKeysFor(
  databasePath: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  onGenerated?: (path: string) => void,
): CredentialKeys {
  const fromEnv = env.CREDENTIALS_KEY || undefined;
  const previousText = env.CREDENTIALS_KEY_PREVIOUS || undefined;
  const cacheKey = `${fromEnv ? `env:${fromEnv}` : `file:${generatedKeyPath(databasePath)}`}\u0000${previousText ?? ''}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  let current: CredentialKey;
  if (fromEnv) {
    current = credentialKeyFrom(fromEnv);
  } else {
    const path = generatedKeyPath(databasePath);
    if (!existsSync(path)) {
      // `wx`: two processes starting together never overwrite each other's key.
      try {
        writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
        chmodSync(path, 0o600);
        onGenerated?.(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    current = credentialKeyFrom(readFileSync(path, 'utf8'));
  }
  const keys: CredentialKeys = { current, ...(previousText ? { previous: credentialKeyFrom(previousText) } : {}) };
  cache.set(cacheKey, keys);
  return keys;
}
