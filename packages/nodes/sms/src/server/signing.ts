// Request signing for the two SMS providers, on node:crypto, exactly as providers.md describes.
// The fake servers in tests recompute the same signatures from what they receive, so a mistake
// here fails the tests the way the real provider would reject the call.
import { createHash, createHmac } from 'node:crypto';

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 percent-encoding as Aliyun wants it (space → %20, `*` → %2A, `~` kept). */
export function acsPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface Acs3Input {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case header names; `host`, `content-type` and `x-acs-*` are signed. */
  headers: Record<string, string>;
  body: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** Aliyun ACS3-HMAC-SHA256: the Authorization header value for a request. */
export function acs3Authorization(input: Acs3Input): string {
  const query = Object.keys(input.query)
    .sort()
    .map((k) => `${acsPercentEncode(k)}=${acsPercentEncode(input.query[k] ?? '')}`)
    .join('&');
  const signed = Object.keys(input.headers)
    .map((h) => h.toLowerCase())
    .filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'))
    .sort();
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = signed.map((h) => `${h}:${(lower[h] ?? '').trim()}\n`).join('');
  const signedHeaders = signed.join(';');
  const canonical = [input.method, input.path, query, canonicalHeaders, signedHeaders, sha256Hex(input.body)].join(
    '\n',
  );
  const stringToSign = `ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`;
  const signature = hmac(input.accessKeySecret, stringToSign).toString('hex');
  return `ACS3-HMAC-SHA256 Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

export { sha256Hex };

export interface Tc3Input {
  host: string;
  contentType: string;
  body: string;
  /** Unix seconds, as sent in X-TC-Timestamp. */
  timestamp: number;
  service: string;
  secretId: string;
  secretKey: string;
}

/** Tencent Cloud TC3-HMAC-SHA256 over `content-type;host` (POST /, no query). */
export function tc3Authorization(input: Tc3Input): string {
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:${input.contentType}\nhost:${input.host}\n`,
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${sha256Hex(canonical)}`;
  const kDate = hmac(`TC3${input.secretKey}`, date);
  const kService = hmac(kDate, input.service);
  const kSigning = hmac(kService, 'tc3_request');
  const signature = hmac(kSigning, stringToSign).toString('hex');
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
