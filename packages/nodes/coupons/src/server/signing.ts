// WeChat Pay APIv3 request signing and notification decryption, on node:crypto only.
// Signature: base64(SHA256withRSA("METHOD\nURL\ntimestamp\nnonce\nbody\n")) with the merchant key;
// URL is the path with query string. Notifications: resource is AEAD_AES_256_GCM with the APIv3
// key, nonce as IV and associated_data as AAD; the last 16 bytes of the ciphertext are the tag.
import { createDecipheriv, createSign, createVerify, randomBytes } from 'node:crypto';

export interface MerchantCredentials {
  mchid: string;
  /** Serial number of the merchant API certificate. */
  serialNo: string;
  /** Merchant API private key, PEM. */
  privateKey: string;
}

export function signatureMessage(method: string, url: string, timestamp: string, nonce: string, body: string): string {
  return `${method.toUpperCase()}\n${url}\n${timestamp}\n${nonce}\n${body}\n`;
}

export function signWithRsa(message: string, privateKey: string): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64');
}

export function verifyRsa(message: string, signature: string, publicKey: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(message).verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** The Authorization header value for one request. */
export function authorizationHeader(
  creds: MerchantCredentials,
  request: { method: string; url: string; body: string },
  options: { timestamp?: string; nonce?: string } = {},
): string {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
  const nonce = options.nonce ?? randomBytes(16).toString('hex').toUpperCase();
  const signature = signWithRsa(
    signatureMessage(request.method, request.url, timestamp, nonce, request.body),
    creds.privateKey,
  );
  return `WECHATPAY2-SHA256-RSA2048 mchid="${creds.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${creds.serialNo}"`;
}

/** Parses an Authorization header back into its fields (used by the fake server and tests). */
export function parseAuthorization(header: string): Record<string, string> | null {
  const prefix = 'WECHATPAY2-SHA256-RSA2048 ';
  if (!header.startsWith(prefix)) return null;
  const fields: Record<string, string> = {};
  for (const m of header.slice(prefix.length).matchAll(/(\w+)="([^"]*)"/g)) fields[m[1] as string] = m[2] as string;
  return fields;
}

export function decryptResource(
  resource: { ciphertext: string; nonce: string; associated_data?: string },
  apiV3Key: string,
): string {
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length < 17) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}
