import type { JourneyEventInput } from './events.ts';
import type { NodeExecutor } from './node-sdk.ts';

/**
 * Framework-free HTTP types for provider webhooks, so a node package's callbacks (WeCom, SMS
 * receipts, coupon redemptions) run under the product's express server, in tests over plain HTTP,
 * or anywhere else, without depending on express.
 */
export interface WebhookRequest {
  method: string;
  /** Path below the package's mount point, e.g. "/callback". */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  /** The raw body as received: signatures are computed over exact bytes. */
  body: string;
}

export interface WebhookResponse {
  status: number;
  contentType: string;
  body: string;
  /** Extra response headers, e.g. `{ location }` for a 302. */
  headers?: Readonly<Record<string, string>>;
}

export interface WebhookResult {
  /** What to answer the provider, in the format it expects. */
  response: WebhookResponse;
  /** Events to ingest (they are de-duplicated by id, so provider retries are harmless). */
  events: JourneyEventInput[];
}

/**
 * The usual window for a signed callback's timestamp: WeChat Pay's SDKs refuse one more than
 * 5 minutes from the local clock; WeCom documents none, so the same is used. Providers deliver and
 * retry within seconds (each delivery signed afresh), so a genuine callback is inside it and a
 * captured one replayed later is not.
 */
export const SIGNED_TIMESTAMP_WINDOW_SECONDS = 300;

/**
 * Whether a callback's signed timestamp (decimal epoch seconds, as WeCom and WeChat Pay send it) is
 * within `windowSeconds` of `nowMs`. Anything else (absent, not digits, absurdly long) is not.
 */
export function signedTimestampFresh(
  timestamp: string | undefined,
  nowMs: number,
  windowSeconds = SIGNED_TIMESTAMP_WINDOW_SECONDS,
): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= windowSeconds;
}

export interface WebhookRoute {
  method: 'GET' | 'POST';
  /** Mounted under /webhooks/<package name>, e.g. "/callback" → /webhooks/wecom/callback. */
  path: string;
  handle: (request: WebhookRequest) => Promise<WebhookResult>;
}

/**
 * Work a package needs done on a schedule (expire coupons, poll a provider) that produces events.
 * The runtime runs it from its tick loop on the (injectable) clock and ingests what it returns.
 */
export interface PackageJob {
  name: string;
  everyMs: number;
  run: (now: Date) => Promise<JourneyEventInput[]>;
}

/** The server half of a node package: executors for its node types, its webhooks and jobs. */
export interface ServerNodePackage {
  name: string;
  executors: readonly NodeExecutor[];
  webhooks?: readonly WebhookRoute[];
  jobs?: readonly PackageJob[];
}
