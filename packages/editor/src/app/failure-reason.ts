import type { Locale } from '@siyu/shared';

/**
 * Why a step failed, in words, from what the step log keeps: the package's reason code (a
 * PermanentError's `code`: noPhone, exhausted…) and its message. Known codes have catalog strings;
 * an unknown code says "发送失败" with the provider's message; a raw code is never shown. Strings
 * are written in place, Chinese first, as everywhere in the editor (see i18n.ts).
 */
export interface StepFailure {
  code?: string;
  error?: string;
}

/** What went wrong, and (where there is one) what an operator can do about it. */
export interface FailureText {
  reason: string;
  fix?: string;
  /** The fix is in the customer's data (a phone number, a WeCom contact…): the profile shows it. */
  fixOnProfile?: boolean;
}

type Entry = { reason: [string, string]; fix?: [string, string]; profile?: boolean };

const CATALOG: Record<string, Entry> = {
  noPhone: {
    reason: ['客户没有手机号', 'The customer has no phone number'],
    fix: [
      '为客户补充手机号（导入客户或接口更新）后重试',
      "Add the customer's phone number (customer import or the API), then retry",
    ],
    profile: true,
  },
  invalidPhone: {
    reason: ['手机号无效', 'The phone number is not valid'],
    fix: [
      '更正客户手机号（导入客户或接口更新）后重试',
      "Correct the customer's phone number (customer import or the API), then retry",
    ],
    profile: true,
  },
  optedOut: { reason: ['客户已退订短信', 'The customer opted out of SMS'] },
  frequencyLimited: {
    reason: ['已达该号码的短信频次上限', 'This number reached its SMS limit'],
    fix: ['稍后重试', 'Retry later'],
  },
  monthlyLimit: {
    reason: ['已达本月发送上限', 'The monthly sending limit is reached'],
    fix: ['下月或提高上限后重试', 'Retry next month or after raising the limit'],
  },
  linkBaseUrlMissing: {
    reason: ['追踪链接未配置公网地址（PUBLIC_URL）', 'Tracked links need the public address (PUBLIC_URL)'],
    fix: ['请管理员配置 PUBLIC_URL 后重试', 'Ask an admin to set PUBLIC_URL, then retry'],
  },
  sendUncertain: { reason: ['发送结果未知', 'The send outcome is unknown'] },
  exhausted: {
    reason: ['优惠券批次已发完', 'The coupon batch is empty'],
    fix: ['在优惠券页增加批次数量后重试', 'Add coupons to the batch on the coupons page, then retry'],
  },
  unknownStock: { reason: ['优惠券批次不存在', 'The coupon batch does not exist'] },
  notActive: { reason: ['优惠券批次未启用', 'The coupon batch is not active'] },
  notStarted: {
    reason: ['优惠券批次尚未开始', 'The coupon batch has not started yet'],
    fix: ['批次开始后重试', 'Retry once the batch starts'],
  },
  ended: { reason: ['优惠券批次已结束', 'The coupon batch has ended'] },
  capReached: { reason: ['客户已达领券上限', 'The customer reached the coupon limit'] },
  noProvider: { reason: ['优惠券服务商未配置', 'The coupon provider is not configured'] },
  noProviderStock: { reason: ['批次未关联微信支付批次号', 'The batch has no WeChat Pay stock id'] },
  noOpenid: {
    reason: ['客户没有微信 OpenID', 'The customer has no WeChat OpenID'],
    fix: [
      '为客户补充 OpenID（导入客户或接口更新）后重试',
      "Add the customer's OpenID (customer import or the API), then retry",
    ],
    profile: true,
  },
  noWecomContact: {
    reason: ['客户不是企业微信联系人', 'The customer is not a WeCom contact'],
    fix: ['客户添加员工企业微信后重试', 'Retry after the customer adds a staff member on WeCom'],
    profile: true,
  },
  noOwner: { reason: ['客户没有负责的员工', 'The customer has no staff owner'] },
  noWelcomeCode: { reason: ['欢迎语时机已过（无 welcome code）', 'The welcome window has passed (no welcome code)'] },
  welcomeCodeExpired: {
    reason: ['欢迎语时机已过（welcome code 已过期）', 'The welcome window has passed (welcome code expired)'],
  },
  noSecret: { reason: ['签名密钥未配置', 'The signing secret is not configured'] },
};

/** The half of a bilingual "中文 / English" message for the locale; other messages as they are. */
function providerMessage(message: string, en: boolean): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  return (en ? parts[1] : parts[0]) as string;
}

export function failureText(failure: StepFailure, locale: Locale): FailureText {
  const en = locale === 'en';
  const pick = (pair: [string, string]) => (en ? pair[1] : pair[0]);
  const entry = failure.code ? CATALOG[failure.code] : undefined;
  if (entry) {
    return {
      reason: pick(entry.reason),
      ...(entry.fix ? { fix: pick(entry.fix) } : {}),
      ...(entry.profile ? { fixOnProfile: true } : {}),
    };
  }
  const message = failure.error ? providerMessage(failure.error, en) : '';
  const failed = en ? 'Send failed' : '发送失败';
  return { reason: message ? `${failed}${en ? ': ' : '：'}${message}` : failed };
}

/** The failure a step-log row records (`error` rows carry { code?, error }), if it is one. */
export function stepFailure(step: { kind: string; detail?: unknown }): StepFailure | undefined {
  if (step.kind !== 'error') return undefined;
  const d = (step.detail ?? {}) as { code?: unknown; error?: unknown };
  return {
    ...(typeof d.code === 'string' ? { code: d.code } : {}),
    ...(typeof d.error === 'string' ? { error: d.error } : {}),
  };
}

/** Asked before an operator retries a failed step: the retry runs the step again, for real. */
export function retryStepQuestion(locale: Locale): string {
  return locale === 'en'
    ? 'Retry: the step runs again now and the message goes to the customer for real. Continue?'
    : '重试：立即重新执行该步骤，消息会真实发给客户。继续？';
}
