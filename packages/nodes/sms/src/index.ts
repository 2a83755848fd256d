// Browser-safe definitions of the SMS node: the editor builds its palette and form from these,
// the runtime compiles journeys with them. Executors, providers and webhooks live in ./server.
import { defineNode, defineNodePackage, HttpUrlSchema, t } from '@siyu/shared';
import { z } from 'zod';
import { hasUnsubscribeText, UNSUBSCRIBE_RULE } from './text.ts';

export { type NormalizedPhone, normalizeMainlandPhone } from './phone.ts';
export {
  countSmsParts,
  hasUnsubscribeText,
  isOptOutReply,
  renderTemplate,
  SMS_PART_LENGTH,
  SMS_SINGLE_LIMIT,
  smsVariables,
  UNSUBSCRIBE_RULE,
} from './text.ts';

export const SMS_KINDS = ['notice', 'marketing'] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

export const SendSmsConfigSchema = z
  .object({
    /** Provider template code: Aliyun "SMS_123456789", Tencent a numeric TemplateId. */
    templateCode: z
      .string()
      .trim()
      .min(1, { message: '请填写短信模板编号 / template code is required' })
      .max(64)
      .meta({ widget: 'text' }),
    signName: z
      .string()
      .trim()
      .min(2, { message: '短信签名至少 2 个字 / signature needs at least 2 characters' })
      .max(12, { message: '短信签名最多 12 个字 / signature is at most 12 characters' })
      .meta({ widget: 'text' }),
    /**
     * What the approved template says, with variables ({{attributes.name}}, {{link}}): used for the
     * preview, the character/part count and the recorded message text.
     */
    content: z
      .string()
      .trim()
      .min(1, { message: '请填写短信内容 / message text is required' })
      .max(500)
      .meta({ widget: 'smsText', description: '可用变量 {{displayName}}、{{attributes.xxx}}、{{link}}' }),
    /** Template parameters sent to the provider, each a text with variables. Order = Tencent order. */
    params: z
      .record(z.string().regex(/^[A-Za-z0-9_]+$/), z.string().max(200))
      .default({})
      .meta({ widget: 'keyValue' }),
    kind: z.enum(SMS_KINDS).default('notice').meta({ widget: 'select' }),
    /** A target URL: each message gets its own short code so clicks come back as `link.clicked`. */
    trackedLink: z
      .object({ url: HttpUrlSchema })
      .optional()
      .meta({ label: t('追踪链接（点击回传为事件）', 'Tracked link (clicks come back as events)') }),
  })
  .refine((c) => c.kind !== 'marketing' || hasUnsubscribeText(c.content), {
    // "中文 / English": the editor shows the operator's half (zodIssueText in @siyu/shared).
    message: `${UNSUBSCRIBE_RULE['zh-CN']} / ${UNSUBSCRIBE_RULE.en}`,
    path: ['content'],
  });
export type SendSmsConfig = z.output<typeof SendSmsConfigSchema>;

export const sendSms = defineNode({
  type: 'sms.send',
  version: 1,
  category: 'message',
  icon: 'sms',
  label: t('发送短信', 'Send SMS'),
  description: t(
    '用服务商模板发送短信；退订号码不发送，营销短信须带退订语',
    'Sends a provider template SMS; opted-out numbers are skipped, marketing SMS carry unsubscribe text',
  ),
  config: SendSmsConfigSchema,
  // Template code and sign name are approved in the provider's console and kept nowhere here, so a
  // new node asks for the operator's own instead of carrying placeholders that fail at the provider.
  defaultConfig: {
    templateCode: '',
    signName: '',
    content: '{{displayName}}您好，您的会员权益已到账。',
    params: { name: '{{displayName}}' },
    kind: 'notice',
  },
  outputs: [
    { id: 'sent', label: t('已发送', 'Sent') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
    { id: 'skipped', label: t('已跳过（频控/免打扰）', 'Skipped (cap / quiet hours)'), required: false },
  ],
  effect: { channel: 'sms', failurePort: 'failed', skippedPort: 'skipped' },
});

export const smsPackage = defineNodePackage({
  name: 'sms',
  label: t('短信', 'SMS'),
  nodes: [sendSms],
});
