import type { SmsKind } from '../index.ts';
import type { SmsProvider } from './providers.ts';

/** One SMS as stored (the Message table in the runtime). */
export interface SmsMessageRecord {
  idempotencyKey: string;
  customerId: string;
  provider: string;
  kind: SmsKind;
  /** E.164. */
  recipient: string;
  content: string;
  parts: number;
  /** `sending` = claimed before the provider call; `sent` once the provider accepted it. */
  status: 'sending' | 'sent' | 'delivered' | 'failed';
  providerMessageId?: string;
  journeyId: string;
  nodeId: string;
  /** Epoch ms. */
  sentAt: number;
}

/** What the SMS package needs from its host (the runtime implements it over SQLite or PostgreSQL). */
export interface SmsServerDeps {
  /** Default: the sandbox provider (records only). */
  provider?: SmsProvider;
  /** Most SMS one number may receive in `frequencyWindowMs` (default 5 per 24 h). */
  perNumberLimit?: number;
  frequencyWindowMs?: number;
  /** Where tracked links point, e.g. "https://brand.cn/webhooks/sms/link" (the `?c=<code>` is appended). */
  linkBaseUrl?: string;
  /** Wall clock (epoch ms) for receipts and replies; default Date.now. */
  now?: () => number;
  /**
   * The deployment's callback token: receipt and reply callbacks must carry it as `?token=` (the
   * providers do not sign them). Read on every callback, so a rotated token applies at once.
   */
  callbackToken(): Promise<string>;

  /**
   * Inserts the record (status `sending`) unless one with the same idempotency key exists; returns
   * the existing one in that case. This claim is what makes a retried step never send twice.
   */
  claimMessage(record: SmsMessageRecord): Promise<{ claimed: true } | { claimed: false; existing: SmsMessageRecord }>;
  /** Marks a claimed message sent with the provider's id (unknown when a lookup found it without one). */
  markSent(idempotencyKey: string, providerMessageId: string | undefined): Promise<void>;
  /** Drops a claim the provider definitely rejected, so a later attempt may send. */
  releaseClaim(idempotencyKey: string): Promise<void>;
  /** Applies a delivery receipt once: false when the message is unknown or already final. */
  applyReceipt(
    provider: string,
    providerMessageId: string,
    receipt: {
      delivered: boolean;
      at: number;
      error?: string;
      /**
       * Our idempotency key as the provider echoes it (Aliyun out_id): finds a message marked sent
       * by a lookup that gave no provider id (QuerySendDetails has no BizId), which then takes this id.
       */
      outId?: string;
    },
  ): Promise<{ applied: boolean; customerId?: string; idempotencyKey?: string }>;
  /** SMS sent (or being sent) to this number since `sinceMs`. */
  countSentTo(phone: string, sinceMs: number): Promise<number>;
  isOptedOut(phone: string): Promise<boolean>;
  /** Records an opt-out; true when it is new (so the event is emitted once). */
  optOut(phone: string, reason: string): Promise<boolean>;
  /**
   * Stores the tracked link of one message unless that message (`messageKey`) already has one, and
   * returns the code stored for it: a retried step reuses the first attempt's code.
   */
  saveTrackedLink(link: {
    code: string;
    customerId: string;
    url: string;
    messageKey: string;
  }): Promise<{ code: string }>;
  findTrackedLink(code: string): Promise<{ customerId: string; url: string } | undefined>;
  /** A registered template (SMS templates page); without it only free-text nodes can send. */
  findTemplate?(id: string): Promise<SmsTemplateRecord | undefined>;
  /** The code of the customer's latest coupon from a stock (issued by an earlier coupon node). */
  couponCodeFor?(customerId: string, stockId: string): Promise<string | undefined>;
}

/** A registered, provider-approved template (the SmsTemplate table in the runtime). */
export interface SmsTemplateRecord {
  id: string;
  name: string;
  provider: string;
  signName: string;
  templateCode: string;
  /** Provider syntax: Aliyun ${name}, Tencent {1}. */
  text: string;
  kind: SmsKind;
}
