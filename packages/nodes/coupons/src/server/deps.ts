// What the coupon server half needs from its host (the runtime implements it over its database in
// packages/runtime/src/node-packages/coupons-services.ts). Dependency inversion: this package never
// imports the runtime.
import type { CustomerView } from '@siyu/shared';

export const COUPON_PROVIDERS = ['sandbox', 'wechatpay'] as const;
export type CouponProviderName = (typeof COUPON_PROVIDERS)[number];

export interface CouponStockRecord {
  id: string;
  name: string;
  provider: CouponProviderName;
  /** The provider's stock id (WeChat Pay stock_id); null for the sandbox. */
  providerStockId: string | null;
  maxCoupons: number;
  maxPerCustomer: number;
  issued: number;
  amountCents: number;
  minimumCents: number;
  validFrom: Date;
  validTo: Date;
  status: 'active' | 'paused' | 'exhausted';
}

/** pending = reserved in our budget, provider not yet confirmed; sent → used | expired. */
export type CouponStatus = 'pending' | 'sent' | 'used' | 'expired';

export interface CouponRecord {
  id: string;
  stockId: string;
  customerId: string;
  idempotencyKey: string;
  providerCouponId: string | null;
  status: CouponStatus;
  issuedAt: Date;
  usedAt: Date | null;
  orderId: string | null;
}

/** Why a reservation was refused; each is permanent for this step (→ the node's failed port). */
export type CouponRejection = 'unknownStock' | 'notActive' | 'notStarted' | 'ended' | 'exhausted' | 'capReached';

export type ReserveResult =
  | { kind: 'existing'; coupon: CouponRecord; stock: CouponStockRecord }
  | { kind: 'reserved'; coupon: CouponRecord; stock: CouponStockRecord }
  | { kind: 'rejected'; reason: CouponRejection; message: string };

export interface NewCouponStock {
  id: string;
  name: string;
  provider: CouponProviderName;
  providerStockId: string | null;
  maxCoupons: number;
  maxPerCustomer: number;
  amountCents: number;
  minimumCents: number;
  validFrom: Date;
  validTo: Date;
}

export interface CouponStore {
  /**
   * In ONE transaction: the coupon already issued under this idempotency key if any; otherwise
   * check the stock (active, inside its validity window, budget left, customer below the cap),
   * insert a 'pending' coupon and count it against the budget.
   */
  reserveCoupon(input: {
    stockId: string;
    customerId: string;
    idempotencyKey: string;
    now: Date;
  }): Promise<ReserveResult>;
  /** pending → sent with the provider's coupon id. Idempotent. */
  confirmCoupon(couponId: string, providerCouponId: string): Promise<CouponRecord>;
  /** The provider refused for good: delete the pending coupon and give its budget back. */
  releaseCoupon(couponId: string): Promise<void>;
  findCoupon(
    by: { id: string } | { provider: CouponProviderName; providerCouponId: string },
  ): Promise<CouponRecord | null>;
  /** sent → used (once); returns the coupon, `changed` false when it was already used. */
  markCouponUsed(input: {
    couponId: string;
    orderId: string | null;
    usedAt: Date;
  }): Promise<{ coupon: CouponRecord; changed: boolean } | null>;
  /** sent coupons of stocks whose validTo <= now become expired; returns those coupons. */
  expireCoupons(now: Date): Promise<CouponRecord[]>;
  insertStock(stock: NewCouponStock): Promise<CouponStockRecord>;
  getStock(id: string): Promise<CouponStockRecord | null>;
}

export interface IssueRequest {
  stock: CouponStockRecord;
  coupon: CouponRecord;
  customer: CustomerView;
  /** Provider idempotency: the step's idempotency key (the provider maps it to its own charset). */
  outRequestNo: string;
  signal?: AbortSignal;
}

export interface CreateStockRequest {
  name: string;
  maxCoupons: number;
  maxPerCustomer: number;
  amountCents: number;
  minimumCents: number;
  validFrom: Date;
  validTo: Date;
  outRequestNo: string;
}

export interface CouponProvider {
  name: CouponProviderName;
  /** Throws RetryableError (try again later) or PermanentError (follow the failed port). */
  issue(request: IssueRequest): Promise<{ providerCouponId: string }>;
  /** Creates and activates the stock at the provider; null when the provider has no stocks (sandbox). */
  createStock(request: CreateStockRequest): Promise<{ providerStockId: string } | null>;
}

export interface CouponsServerDeps {
  store: CouponStore;
  /** Providers by name; a stock uses the one its `provider` column names. sandbox is always there. */
  providers: Partial<Record<CouponProviderName, CouponProvider>>;
  /** WeChat Pay settings for the redemption notice (APIv3 key; optional platform public key). */
  wechatpayNotify?: { apiV3Key: string; platformPublicKey?: string };
  /** Wall clock (epoch ms) for the notice's Wechatpay-Timestamp window; default Date.now. */
  now?: () => number;
}
