// Server half of the SMS package: the sms.send executor, the providers and their webhooks.
import type { ServerNodePackage } from '@siyu/shared';
import type { SmsServerDeps } from './deps.ts';
import { createSendSmsExecutor } from './executor.ts';
import { smsWebhooks } from './webhooks.ts';

export { CALLBACK_TOKEN_PARAM, callbackTokenMatches } from './callback-token.ts';
export type { SmsMessageRecord, SmsServerDeps, SmsTemplateRecord } from './deps.ts';
export { createSendSmsExecutor, newLinkCode } from './executor.ts';
export {
  type AliyunSmsConfig,
  aliyunProvider,
  type SmsProvider,
  SmsRejected,
  type SmsSendRequest,
  sandboxProvider,
  type TencentSmsConfig,
  tencentProvider,
} from './providers.ts';
export { acs3Authorization, acsPercentEncode, tc3Authorization } from './signing.ts';
export { smsWebhooks } from './webhooks.ts';

/** Webhooks mount under /webhooks/sms: /aliyun/receipts, /aliyun/replies, /tencent/receipts, /tencent/replies, /link. */
export function createSmsServerPackage(deps: SmsServerDeps): ServerNodePackage {
  return { name: 'sms', executors: [createSendSmsExecutor(deps)], webhooks: smsWebhooks(deps) };
}
