import { z } from 'zod';
import { IdentitiesSchema } from './customer.ts';
import { type LocalizedText, t } from './i18n.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';

/** An event type: lower-case namespace, a dot, a name — "order.placed", "wecom.contactAdded". */
export const EventTypeSchema = z
  .string()
  .trim()
  .regex(/^[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+$/, {
    message: '事件类型形如 order.placed / an event type looks like "order.placed"',
  });

/**
 * An event about a customer: from a provider callback, a shop's order feed, a tracked link, or the
 * brand's own systems. `id` is the sender's id for the event, so a provider that delivers the same
 * event twice is de-duplicated.
 */
export const JourneyEventSchema = z
  .object({
    id: z.string().min(1).max(200),
    type: EventTypeSchema,
    customerId: z.string().min(1).max(100).optional(),
    identities: IdentitiesSchema.optional(),
    // zod's own words for an unreadable date are "expected date, received Date" (it was coerced).
    occurredAt: z.coerce.date({
      error:
        '发生时间须为 ISO 8601 时间，如 2026-12-07T10:00:00+08:00 / occurredAt must be an ISO 8601 time, e.g. 2026-12-07T10:00:00+08:00',
    }),
    data: z
      .record(z.string(), z.unknown())
      .default({})
      .refine((d) => !nestsDeeperThan(d, MAX_JSON_DEPTH - 1), {
        message: `事件数据嵌套超过 ${MAX_JSON_DEPTH} 层 event data nests deeper than ${MAX_JSON_DEPTH} levels`,
      }),
  })
  .refine((e) => e.customerId !== undefined || (e.identities && Object.values(e.identities).some(Boolean)), {
    message:
      'an event needs customerId or at least one identity (phone, wecomExternalUserId, openid, unionid, externalId)',
    path: ['customerId'],
  });
export type JourneyEvent = z.infer<typeof JourneyEventSchema>;
export type JourneyEventInput = z.input<typeof JourneyEventSchema>;

/** Events the shipped nodes produce or wait for, with labels for the editor's pickers. */
export const KNOWN_EVENT_TYPES: Record<string, LocalizedText> = {
  'channel.entered': t('通过渠道进入', 'Came in through a channel'),
  'wecom.contactAdded': t('添加企业微信好友', 'Added as WeCom contact'),
  'wecom.contactDeleted': t('删除企业微信好友', 'Deleted WeCom contact'),
  'wecom.contactUpdated': t('企业微信好友资料更新', 'WeCom contact details updated'),
  'wecom.groupJoined': t('加入群聊', 'Joined group chat'),
  'wecom.groupLeft': t('退出群聊', 'Left group chat'),
  'order.placed': t('下单', 'Order placed'),
  'order.paid': t('支付订单', 'Order paid'),
  'order.completed': t('订单完成', 'Order completed'),
  'order.refunded': t('订单退款', 'Order refunded'),
  'link.clicked': t('点击链接', 'Link clicked'),
  'qr.scanned': t('扫码', 'QR code scanned'),
  'sms.delivered': t('短信送达', 'SMS delivered'),
  'sms.replied': t('回复短信', 'Replied to SMS'),
  'sms.optedOut': t('短信退订', 'Opted out of SMS'),
  'coupon.redeemed': t('核销优惠券', 'Coupon redeemed'),
  'coupon.expired': t('优惠券过期', 'Coupon expired'),
  'staffTask.completed': t('员工任务完成', 'Staff task done'),
};
