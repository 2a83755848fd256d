// Server half of the coupon package: the coupons.issue executor, the WeChat Pay redemption notice
// and the stock / expiry / redemption functions the server calls.
import type { ServerNodePackage } from '@siyu/shared';
import type { CouponsServerDeps } from './deps.ts';
import { issueCouponExecutor } from './executor.ts';
import { expireCoupons } from './stocks.ts';
import { wechatPayNotifyRoute } from './webhooks.ts';

export * from './deps.ts';
export { issueCouponExecutor } from './executor.ts';
export { sandboxCouponProvider, type WechatPayConfig, wechatPayCouponProvider } from './providers.ts';
export {
  authorizationHeader,
  decryptResource,
  type MerchantCredentials,
  parseAuthorization,
  signatureMessage,
  signWithRsa,
  verifyRsa,
} from './signing.ts';
export {
  type CreateCouponStockInput,
  CreateCouponStockSchema,
  createCouponStock,
  expireCoupons,
  redeemCoupon,
} from './stocks.ts';
export { redeemedEvent, wechatPayNotifyRoute } from './webhooks.ts';

export function createCouponsServerPackage(deps: CouponsServerDeps): ServerNodePackage {
  return {
    name: 'coupons',
    executors: [issueCouponExecutor(deps)],
    webhooks: [wechatPayNotifyRoute(deps)],
    // Coupons past their stock's end become `coupon.expired` events (journeys may wait on them).
    jobs: [{ name: 'expireCoupons', everyMs: 60_000, run: (now) => expireCoupons(deps, now) }],
  };
}
