// Test helpers for packages that run the coupon nodes (the runtime's end-to-end tests): the local
// fake WeChat Pay server and encrypted COUPON.USE notices. Not for production code.
export { couponUseNotice, type FakeWechatPay, startFakeWechatPay } from './server/fake-wechatpay.ts';
