// AES-256-GCM for credential payloads: a random 96-bit IV per write, the 128-bit tag checked on
// read, and the record's id and type as additional authenticated data, so a payload pasted into
// another row (or the same row with its type changed) does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CredentialKeys } from './keys.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CredentialDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialDecryptError';
  }
}

function aad(id: string, type: string): Buffer {
  return Buffer.from(`${id}\u0000${type}`, 'utf8');
}

/** Encrypts with the current key; store both results. */
export function sealPayload(
  keys: CredentialKeys,
  record: { id: string; type: string },
  plaintext: string,
): { payload: string; keyId: string } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
  cipher.setAAD(aad(record.id, record.type));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { payload: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64'), keyId: keys.current.id };
}

/** Decrypts with the key the record names (current or previous); throws CredentialDecryptError. */
export function openPayload(
  keys: CredentialKeys,
  record: { id: string; type: string; payload: string; keyId: string },
): string {
  const key = [keys.current, keys.previous].find((k) => k?.id === record.keyId);
  if (!key) {
    throw new CredentialDecryptError(
      `credential ${record.id} is encrypted with key ${record.keyId}, which is neither CREDENTIALS_KEY nor CREDENTIALS_KEY_PREVIOUS`,
    );
  }
  const bytes = Buffer.from(record.payload, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES)
    throw new CredentialDecryptError(`credential ${record.id}: payload too short`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(aad(record.id, record.type));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new CredentialDecryptError(`credential ${record.id}: payload does not decrypt (altered, or another key)`);
  }
}
