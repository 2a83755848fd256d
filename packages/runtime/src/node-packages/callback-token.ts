// The per-deployment token that SMS providers' receipt and reply callbacks carry in their URL
// (Aliyun and Tencent do not sign these pushes). Generated on first use — at start-up, when the SMS
// services are built — stored in DeploymentSecret, shown to admins with the callback URLs, rotatable.
import { randomBytes } from 'node:crypto';
import { CALLBACK_TOKEN_PARAM } from '@siyu/nodes-sms/server';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate } from '../db/iso-date.ts';

const NAME = 'providerCallbacks';

/** 256 random bits, URL-safe. */
function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface CallbackTokenStore {
  /** The current token, created (once, race-free) if this database has none yet. */
  current(): Promise<string>;
  /** Replaces the token; callbacks with the old one are refused from now on. */
  rotate(): Promise<string>;
}

export function callbackTokenStore(db: Pick<AppDatabase, 'sql'>, now: () => number = Date.now): CallbackTokenStore {
  const { sql } = db;
  const read = async () =>
    (await sql.get<{ value: string }>('SELECT value FROM DeploymentSecret WHERE name = ?', [NAME]))?.value;
  const current = async () => {
    const stored = await read();
    if (stored !== undefined) return stored;
    // Two processes starting together: one insert wins, both read the winner's token.
    await sql.run(
      'INSERT INTO DeploymentSecret (name, value, createdAt) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING',
      [NAME, newToken(), isoDate(now())],
    );
    const created = await read();
    if (created === undefined) throw new Error(`DeploymentSecret ${NAME} neither inserted nor found`);
    return created;
  };
  return {
    current,
    async rotate() {
      await current();
      const token = newToken();
      await sql.run('UPDATE DeploymentSecret SET value = ?, rotatedAt = ? WHERE name = ?', [
        token,
        isoDate(now()),
        NAME,
      ]);
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
