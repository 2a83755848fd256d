import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptMessage, encryptMessage, isValidSignature, signatureOf } from './crypto.ts';

const encodingAESKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'; // 43 chars, WeCom's sample form
const secrets = { token: 'QDG6eK', encodingAESKey, corpId: 'wx5823bf96d3bd56c7' };

/** The documented algorithm written out by hand, independent of @wecom/crypto. */
function encryptBySpec(plaintext: string, receiveId: string): string {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  expect(key.length).toBe(32);
  const msg = Buffer.from(plaintext);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const raw = Buffer.concat([randomBytes(16), length, msg, Buffer.from(receiveId)]);
  const pad = 32 - (raw.length % 32);
  const padded = Buffer.concat([raw, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

describe('WeCom callback crypto', () => {
  it('decrypts what the documented algorithm encrypts, and round-trips', () => {
    const xml = '<xml><Event>change_external_contact</Event><UserID>张三</UserID></xml>';
    expect(decryptMessage(secrets, encryptBySpec(xml, secrets.corpId))).toBe(xml);
    expect(decryptMessage(secrets, encryptMessage(secrets, xml))).toBe(xml);
  });

  it('signs as sha1 of the sorted parts and rejects a wrong signature', () => {
    const parts = ['QDG6eK', '1409659813', '1372623149', 'ENCRYPTED'];
    const expected = createHash('sha1')
      .update([...parts].sort().join(''))
      .digest('hex');
    expect(signatureOf('QDG6eK', '1409659813', '1372623149', 'ENCRYPTED')).toBe(expected);
    const params = { msgSignature: expected, timestamp: '1409659813', nonce: '1372623149' };
    expect(isValidSignature(secrets, params, 'ENCRYPTED')).toBe(true);
    expect(isValidSignature(secrets, { ...params, nonce: '1' }, 'ENCRYPTED')).toBe(false);
    expect(isValidSignature(secrets, { ...params, msgSignature: 'short' }, 'ENCRYPTED')).toBe(false);
  });

  it('refuses a message for another corp and garbage', () => {
    expect(() => decryptMessage(secrets, encryptBySpec('<xml/>', 'wwOTHER'))).toThrow(/not this corp/);
    expect(() => decryptMessage(secrets, 'bm90IGVuY3J5cHRlZA==')).toThrow(/cannot decrypt|not this corp/);
  });
});
