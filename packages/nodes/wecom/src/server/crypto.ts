// WeCom callback crypto (developer.work.weixin.qq.com path/91144) through WeCom's own @wecom/crypto:
// AESKey = base64(EncodingAESKey + "="), AES-256-CBC with IV = key[0..16), PKCS#7 to 32 bytes,
// plaintext = 16 random bytes + 4-byte big-endian length + XML + ReceiveId;
// msg_signature = sha1(sorted([token, timestamp, nonce, msg_encrypt]).join("")).
import { timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

export interface CallbackSecrets {
  token: string;
  encodingAESKey: string;
  /** The corp id the plaintext must end with (ReceiveId). */
  corpId: string;
}

export function signatureOf(token: string, timestamp: string, nonce: string, msgEncrypt: string): string {
  return getSignature(token, timestamp, nonce, msgEncrypt);
}

export function isValidSignature(
  secrets: CallbackSecrets,
  params: { msgSignature: string; timestamp: string; nonce: string },
  msgEncrypt: string,
): boolean {
  const expected = Buffer.from(signatureOf(secrets.token, params.timestamp, params.nonce, msgEncrypt));
  const given = Buffer.from(params.msgSignature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Decrypts a msg_encrypt / echostr and checks it was meant for this corp. */
export function decryptMessage(secrets: CallbackSecrets, msgEncrypt: string): string {
  let opened: { message: string; id: string };
  try {
    opened = decrypt(secrets.encodingAESKey, msgEncrypt);
  } catch (error) {
    throw new Error(`cannot decrypt WeCom callback: ${(error as Error).message}`);
  }
  if (opened.id !== secrets.corpId) throw new Error(`WeCom callback ReceiveId "${opened.id}" is not this corp`);
  return opened.message;
}

/** Encrypts like WeCom does (used by the fake server in tests and for encrypted replies). */
export function encryptMessage(secrets: CallbackSecrets, plaintext: string): string {
  return encrypt(secrets.encodingAESKey, plaintext, secrets.corpId);
}
