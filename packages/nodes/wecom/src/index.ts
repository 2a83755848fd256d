// Browser-safe definitions of the WeCom (企业微信) nodes: the editor builds its palette and forms
// from these, the runtime compiles journeys with them. Executors live in ./server.
import {
  checkTemplateBraces,
  DurationSchema,
  defineNode,
  defineNodePackage,
  durationToMs,
  HttpUrlSchema,
  resourceRef,
  t,
} from '@siyu/shared';
import { z } from 'zod';

export { renderTemplate } from './template.ts';

/** How long a welcome code from the contact-added callback stays usable (WeCom: 20 seconds). */
export const WELCOME_CODE_TTL_MS = 20_000;

/** A WeCom member's userid as WeCom allows it (1–64 characters): staff references, the directory's key. */
export const WecomUserIdSchema = z.string().trim().min(1).max(64);

/** One welcome/mass-message attachment (image by media id, link, or mini program). */
export const AttachmentSchema = z.discriminatedUnion('msgtype', [
  z.object({ msgtype: z.literal('image'), image: z.object({ media_id: z.string().min(1) }) }),
  z.object({
    msgtype: z.literal('link'),
    link: z.object({
      title: z.string().min(1).max(128),
      url: HttpUrlSchema,
      picurl: HttpUrlSchema.optional(),
      desc: z.string().max(512).optional(),
    }),
  }),
  z.object({
    msgtype: z.literal('miniprogram'),
    miniprogram: z.object({
      title: z.string().min(1).max(64),
      pic_media_id: z.string().min(1),
      appid: z.string().min(1),
      page: z.string().min(1),
    }),
  }),
]);
export type Attachment = z.infer<typeof AttachmentSchema>;

const text = z
  .string()
  .trim()
  .min(1, { message: '请填写消息内容 / message text is required' })
  .max(4000)
  .superRefine(checkTemplateBraces)
  .meta({ widget: 'template' });
const attachments = z
  .array(AttachmentSchema)
  .max(9)
  .default([])
  .meta({ widget: 'attachments', label: t('附件（最多 9 个）', 'Attachments (up to 9)') });

export const welcome = defineNode({
  type: 'wecom.welcome',
  version: 1,
  category: 'message',
  icon: 'wecom',
  label: t('发送欢迎语', 'Send welcome message'),
  description: t(
    '客户添加员工后 20 秒内用欢迎语码发送一次，不重复发送',
    'Sent once with the welcome code within 20 s of the contact being added',
  ),
  config: z.object({ text, attachments }),
  defaultConfig: { text: '您好 {{displayName}}，欢迎关注！', attachments: [] },
  outputs: [
    { id: 'sent', label: t('已发送', 'Sent') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
    { id: 'skipped', label: t('已跳过（频控/免打扰）', 'Skipped (cap / quiet hours)'), required: false },
  ],
  // Welcome messages answer the customer's own action, so quiet hours would only lose them.
  effect: { channel: 'wecom', quietHours: false, failurePort: 'failed', skippedPort: 'skipped' },
  freshAfter: {
    // channel.entered comes with the add for a live code (and alone for other channels): allowed,
    // since which one it is shows only at run time.
    events: ['wecom.contactAdded', 'channel.entered'],
    arrival: t('添加员工', 'adding a staff member'),
    why: t('欢迎语码在客户添加员工 20 秒后失效', 'a welcome code expires 20 s after the contact is added'),
  },
});

export const markTags = defineNode({
  type: 'wecom.markTags',
  version: 1,
  category: 'customer',
  icon: 'tag',
  label: t('企业微信打标签', 'Mark WeCom tags'),
  description: t('给客户打企业标签，标签不存在时自动创建', 'Marks corp tags on the contact, creating missing tags'),
  config: z
    .object({
      groupName: z.string().trim().min(1).max(30).default('旅程标签').meta({ widget: 'text' }),
      add: z.array(z.string().trim().min(1).max(30)).max(100).default([]).meta({ widget: 'tags' }),
      remove: z.array(z.string().trim().min(1).max(30)).max(100).default([]).meta({ widget: 'tags' }),
    })
    .refine((c) => c.add.length + c.remove.length > 0, {
      message: '至少添加或移除一个标签 / add or remove at least one tag',
      path: ['add'],
    }),
  defaultConfig: { groupName: '旅程标签', add: ['新客'], remove: [] },
  outputs: [
    { id: 'next', label: t('继续', 'Next') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
  ],
  effect: { failurePort: 'failed' },
});

export const inviteToGroup = defineNode({
  type: 'wecom.inviteToGroup',
  version: 1,
  category: 'message',
  icon: 'group',
  label: t('邀请入群', 'Invite to group chat'),
  description: t(
    '生成加入群聊二维码（state 标识来源），等待客户入群或超时',
    'Creates a join code (state marks the source) and waits for the join or a timeout',
  ),
  config: z.object({
    // Group chats live in WeCom only: the kind is declared, and checked once something lists them.
    chatIds: resourceRef(
      'wecom.groupChat',
      z
        .array(z.string().trim().min(1))
        .min(1, { message: '至少选择一个群 / pick at least one group chat' })
        .max(5, { message: '最多 5 个群 / at most 5 group chats' })
        .meta({ widget: 'wecomGroups', label: t('群聊', 'Group chats') }),
    ),
    state: z
      .string()
      .trim()
      .min(1)
      .max(30, { message: 'state 最多 30 个字符 / state is at most 30 characters' })
      .meta({ widget: 'text', label: t('来源标识', 'Source mark') }),
    timeout: DurationSchema.meta({ widget: 'duration' }),
  }),
  defaultConfig: {
    chatIds: [],
    state: 'journey-group',
    timeout: { amount: 3, unit: 'days' },
  },
  outputs: [
    { id: 'joined', label: t('已入群', 'Joined') },
    { id: 'notJoined', label: t('未入群', 'Did not join') },
  ],
  // Creating the join code messages nobody, so no channel: caps and quiet hours do not apply.
  effect: { quietHours: false, failurePort: 'notJoined' },
  await: (config, ctx) =>
    ctx.effectResult?.port === 'notJoined'
      ? { timeout: { at: ctx.now, port: 'notJoined' } } // the join code could not be created
      : {
          events: [
            {
              type: 'wecom.groupJoined',
              filter: {
                match: 'all',
                conditions: [
                  { field: 'data.state', op: 'eq', value: config.state },
                  { field: 'data.chatId', op: 'in', value: config.chatIds },
                ],
              },
              port: 'joined',
            },
          ],
          timeout: { at: new Date(ctx.now.getTime() + durationToMs(config.timeout)), port: 'notJoined' },
        },
  waitsFor: () => ['wecom.groupJoined'],
});

export const massMessage = defineNode({
  type: 'wecom.massMessage',
  version: 1,
  category: 'message',
  icon: 'megaphone',
  label: t('群发消息任务', 'Mass message task'),
  description: t(
    '创建群发任务，员工在企业微信中确认发送；每位客户每月有次数上限',
    'Creates a mass-message task the staff member confirms in WeCom; limited per customer per month',
  ),
  config: z.object({
    text,
    attachments,
    /** Empty: the customer's owner sends (else the staff member they last added). */
    sender: resourceRef(
      'wecom.staff',
      z
        .string()
        .trim()
        .min(1)
        .optional()
        .meta({
          widget: 'wecomUser',
          label: t('发送员工（不选则由客户的归属员工发送）', "Sender (none chosen: the customer's owner)"),
        }),
    ),
  }),
  defaultConfig: { text: '{{displayName}}，本周会员日全场 8 折', attachments: [] },
  outputs: [
    { id: 'sent', label: t('已创建', 'Sent') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
    { id: 'skipped', label: t('已跳过（频控/免打扰）', 'Skipped (cap / quiet hours)'), required: false },
  ],
  effect: { channel: 'wecom', failurePort: 'failed', skippedPort: 'skipped' },
});

export const wecomPackage = defineNodePackage({
  name: 'wecom',
  label: t('企业微信', 'WeCom'),
  nodes: [welcome, markTags, inviteToGroup, massMessage],
});
