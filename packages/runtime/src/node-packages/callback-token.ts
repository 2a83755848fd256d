// The per-deployment token that SMS providers' receipt and reply callbacks carry in their URL
// (Aliyun and Tencent do not sign these pushes). Generated on first use — at start-up, when the SMS
// services are built — stored in DeploymentSecret, shown to admins with the callback URLs, rotatable.
import { randomBytes } from 'node:crypto';
import { CALLBACK_TOKEN_PARAM } from '@siyu/nodes-sms/server';
import type { Database } from '../db/database.ts';

const NAME = 'providerCallbacks';

/** 256 random bits, URL-safe. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

export interface CallbackTokenStore {
  /** The current token, created (once, race-free) if this database has none yet. */
  current(): string;
  /** Replaces the token; callbacks with the old one are refused from now on. */
  rotate(): string;
}

export function callbackTokenStore(db: Database, now: () => number = Date.now): CallbackTokenStore {
  const insert = db.sqlite.prepare('INSERT OR IGNORE INTO DeploymentSecret (name, value, createdAt) VALUES (?, ?, ?)');
  const read = db.sqlite.prepare<[string], { value: string }>('SELECT value FROM DeploymentSecret WHERE name = ?');
  const replace = db.sqlite.prepare('UPDATE DeploymentSecret SET value = ?, rotatedAt = ? WHERE name = ?');
  const current = () => {
    const row = read.get(NAME);
    if (row) return row.value;
    insert.run(NAME, newToken(), iso(now()));
    return (read.get(NAME) as { value: string }).value;
  };
  return {
    current,
    rotate() {
      current();
      const token = newToken();
      replace.run(token, iso(now()), NAME);
      return token;
    },
  };
}

/** Where each provider pushes, as an admin pastes it into the provider's console. */
export interface CallbackUrl {
  provider: 'aliyun' | 'tencent' | 'wecom' | 'wechatpay';
  kind: 'receipts' | 'replies' | 'events' | 'couponNotify';
  url: string;
  /** True when the URL contains the deployment's token (rotating changes it). */
  tokenized: boolean;
}

export function callbackUrls(publicUrl: string, token: string): CallbackUrl[] {
  const base = publicUrl.replace(/\/+$/, '');
  const sms = (provider: 'aliyun' | 'tencent', kind: 'receipts' | 'replies'): CallbackUrl => ({
    provider,
    kind,
    url: `${base}/webhooks/sms/${provider}/${kind}?${CALLBACK_TOKEN_PARAM}=${encodeURIComponent(token)}`,
    tokenized: true,
  });
  return [
    sms('aliyun', 'receipts'),
    sms('aliyun', 'replies'),
    sms('tencent', 'receipts'),
    sms('tencent', 'replies'),
    // These two are signed by the provider itself (msg_signature, Wechatpay-Signature).
    { provider: 'wecom', kind: 'events', url: `${base}/webhooks/wecom/callback`, tokenized: false },
    { provider: 'wechatpay', kind: 'couponNotify', url: `${base}/webhooks/coupons/wechatpay/notify`, tokenized: false },
  ];
}
