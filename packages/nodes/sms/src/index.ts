// Browser-safe definitions of the SMS node: the editor builds its palette and form from these,
// the runtime compiles journeys with them. Executors, providers and webhooks live in ./server.
import { checkTemplateBraces, defineNode, defineNodePackage, HttpUrlSchema, resourceRef, t } from '@siyu/shared';
import { z } from 'zod';
import { SmsVariableMappingSchema } from './templates.ts';
import { hasUnsubscribeText, UNSUBSCRIBE_RULE } from './text.ts';

export { type NormalizedPhone, normalizeMainlandPhone } from './phone.ts';
export * from './templates.ts';
export {
  countSmsParts,
  hasUnsubscribeText,
  isOptOutReply,
  renderTemplate,
  SMS_PART_LENGTH,
  SMS_SINGLE_LIMIT,
  signedSmsText,
  smsVariables,
  UNSUBSCRIBE_RULE,
} from './text.ts';

export const SMS_KINDS = ['notice', 'marketing'] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

/**
 * Free-text fields (the form of nodes written before templates were registered, and the only one
 * the local editor, which has no server and so no registered templates, can offer): shown while
 * no template is chosen (see README).
 */
const FREE_TEXT_ONLY = { visibleIf: { empty: 'templateId' } };

export const SendSmsConfigSchema = z
  .object({
    /**
     * A template registered on the SMS templates page (provider code, sign name, approved text,
     * kind): the executor sends its code with `variables` filled for the customer.
     */
    templateId: resourceRef(
      'sms.template',
      z
        .string()
        .trim()
        .max(100)
        .default('')
        .meta({ widget: 'smsTemplate', label: t('短信模板', 'SMS template') }),
    ),
    /** Each template variable's source (customer name, phone tail, attribute, coupon code, fixed text). */
    variables: z
      .record(z.string().regex(/^[A-Za-z0-9_]+$/), SmsVariableMappingSchema)
      .default({})
      .meta({ widget: 'smsVariables', label: t('模板变量', 'Template variables') }),
    // The fields below are the free-text form of older nodes (published journeys keep sending with
    // them); a node with a template ignores them.
    /** Provider template code: Aliyun "SMS_123456789", Tencent a numeric TemplateId. */
    templateCode: z.string().trim().max(64).default('').meta(FREE_TEXT_ONLY),
    signName: z
      .string()
      .trim()
      .max(12, { message: '短信签名最多 12 个字 / signature is at most 12 characters' })
      .default('')
      .meta(FREE_TEXT_ONLY),
    /**
     * What the approved template says, with variables ({{attributes.name}}, {{link}}): used for the
     * preview, the character/part count and the recorded message text.
     */
    content: z
      .string()
      .trim()
      .max(500)
      .superRefine(checkTemplateBraces)
      .default('')
      .meta({
        widget: 'smsText',
        ...FREE_TEXT_ONLY,
      }),
    /** Template parameters sent to the provider, each a text with variables. Order = Tencent order. */
    params: z
      .record(z.string().regex(/^[A-Za-z0-9_]+$/), z.string().max(200).superRefine(checkTemplateBraces))
      .default({})
      .meta({ widget: 'keyValue', ...FREE_TEXT_ONLY }),
    kind: z
      .enum(SMS_KINDS)
      .default('notice')
      .meta({ widget: 'select', ...FREE_TEXT_ONLY }),
    /** A target URL: each message gets its own short code so clicks come back as `link.clicked`. */
    trackedLink: z
      .object({ url: HttpUrlSchema })
      .optional()
      .meta({ label: t('追踪链接（点击回传为事件）', 'Tracked link (clicks come back as events)') }),
  })
  .superRefine((c, ctx) => {
    // "中文 / English": the editor shows the operator's half (zodIssueText in @siyu/shared).
    if (c.templateId) return; // the template's own rules were checked when it was registered
    if (!c.content && !c.templateCode && !c.signName) {
      ctx.addIssue({ code: 'custom', path: ['templateId'], message: '请选择短信模板 / choose an SMS template' });
      return;
    }
    if (!c.templateCode) {
      ctx.addIssue({
        code: 'custom',
        path: ['templateCode'],
        message: '请填写短信模板编号 / template code is required',
      });
    }
    if ([...c.signName].length < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['signName'],
        message: '短信签名至少 2 个字 / signature needs at least 2 characters',
      });
    }
    if (!c.content) {
      ctx.addIssue({ code: 'custom', path: ['content'], message: '请填写短信内容 / message text is required' });
    } else if (c.kind === 'marketing' && !hasUnsubscribeText(c.content)) {
      ctx.addIssue({
        code: 'custom',
        path: ['content'],
        message: `${UNSUBSCRIBE_RULE['zh-CN']} / ${UNSUBSCRIBE_RULE.en}`,
      });
    }
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
  // A new node picks one of the workspace's registered templates (approved at the provider) instead
  // of carrying a placeholder code and sign name that would fail at the provider.
  defaultConfig: { templateId: '', variables: {} },
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
