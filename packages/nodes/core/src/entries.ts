// Entry triggers: how a customer gets into a journey. Each is pure config → EntryTrigger; the
// runtime does the enrolling (event entries on ingest, audience entries on a schedule).
import {
  DurationSchema,
  defineNode,
  durationToMs,
  EntryScheduleFieldsSchema,
  EventTypeSchema,
  entryScheduleProblems,
  type Filter,
  FilterSchema,
  resourceRef,
  t,
} from '@siyu/shared';
import { z } from 'zod';
import { NEXT_PORT } from './ports.ts';

/** Emitted when a customer comes in through a tracked code (live code `state`, card, poster). */
export const CHANNEL_ENTERED = 'channel.entered';

const filter = FilterSchema.default({ match: 'all', conditions: [] }).meta({ widget: 'filter' });

export const channelEntry = defineNode({
  type: 'core.channelEntry',
  version: 1,
  category: 'entry',
  icon: 'qrcode',
  label: t('渠道活码入口', 'Channel entry'),
  description: t(
    '客户通过所选渠道（活码、包裹卡、短信链接、门店海报）进入时开始旅程，并记录渠道和版本',
    'Starts when a customer comes in through the chosen channels (live code, package card, SMS link, store poster), attributed to channel and variant',
  ),
  config: z.object({
    channelIds: resourceRef(
      'core.channel',
      z
        .array(z.string().trim().min(1).max(100))
        .min(1, { message: '至少选择一个渠道 / choose at least one channel' })
        .max(50)
        .meta({ widget: 'channels', label: t('渠道', 'Channels') }),
    ),
    /** Only these variants of the channels (empty: every variant). */
    variants: z
      .array(z.string().trim().min(1).max(50))
      .max(20)
      .default([])
      .meta({ widget: 'tags', label: t('仅限版本（留空为全部）', 'Only variants (empty: all)') }),
  }),
  // No channel until the operator ticks one of theirs (a hidden made-up one could not be unticked).
  defaultConfig: { channelIds: [], variants: [] },
  outputs: NEXT_PORT,
  entry: {
    trigger: (config) => {
      const conditions: Filter['conditions'] = [{ field: 'data.channelId', op: 'in', value: config.channelIds }];
      if (config.variants.length > 0) conditions.push({ field: 'data.variant', op: 'in', value: config.variants });
      return { kind: 'event', event: CHANNEL_ENTERED, filter: { match: 'all', conditions } };
    },
  },
});

export const eventEntry = defineNode({
  type: 'core.eventEntry',
  version: 1,
  category: 'entry',
  icon: 'bolt',
  label: t('事件入口', 'Event entry'),
  description: t(
    '发生指定事件（下单、添加好友、入群、点击链接或自定义事件）且满足条件时开始旅程',
    'Starts when an event happens (order placed, contact added, group joined, link clicked or a custom event) that matches the filter',
  ),
  config: z.object({
    event: EventTypeSchema.meta({ widget: 'eventType', label: t('事件', 'Event') }),
    filter,
  }),
  defaultConfig: { event: 'order.placed', filter: { match: 'all', conditions: [] } },
  outputs: NEXT_PORT,
  entry: {
    trigger: (config) => ({
      kind: 'event',
      event: config.event,
      filter: config.filter.conditions.length > 0 ? config.filter : undefined,
    }),
  },
  waitsFor: (config) => [config.event],
});

export const audienceEntry = defineNode({
  type: 'core.audienceEntry',
  version: 1,
  category: 'entry',
  icon: 'users',
  label: t('人群入口', 'Audience entry'),
  description: t(
    '按标签、属性、渠道或 RFM 圈选人群：发布时进入一次、按间隔重复或按日程圈选（重复进入受旅程的再进入规则约束）',
    'Enrols a segment by tags, attributes, channel or RFM: once when published, again at an interval, or on a calendar (re-entry rules apply)',
  ),
  config: z
    .object({
      /** A saved segment; its filter is read when the entry runs. */
      segmentId: resourceRef(
        'core.segment',
        z
          .string()
          .trim()
          .min(1)
          .max(100)
          .optional()
          .meta({ widget: 'segment', label: t('已保存人群', 'Saved segment') }),
      ),
      /** Used when no segment is chosen (and ANDed with it when both are). */
      filter: filter.meta({ label: t('圈选条件', 'Conditions') }),
      /** once: at publish; repeat: every `every`; calendar: on the dates of `calendar`. */
      schedule: z
        .enum(['once', 'repeat', 'calendar'])
        .default('once')
        .meta({ widget: 'select', label: t('频率', 'Frequency') }),
      every: DurationSchema.default({ amount: 1, unit: 'days' }).meta({
        widget: 'duration',
        label: t('重复间隔', 'Repeat every'),
        // Asked for only when the entry repeats at an interval (the editor hides it otherwise).
        visibleIf: { field: 'schedule', oneOf: ['repeat'] },
      }),
      // Checked below only when the entry runs on it: a schedule left in the form does not block publishing.
      calendar: EntryScheduleFieldsSchema.default({
        repeat: 'daily',
        time: '10:00',
        weekdays: [1],
        cron: '0 10 * * 1',
        timeZone: 'Asia/Shanghai',
      }).meta({ widget: 'entrySchedule', label: t('日程', 'Schedule') }),
    })
    .superRefine((c, ctx) => {
      if (!c.segmentId && c.filter.conditions.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['filter'],
          message:
            '请选择已保存人群或填写圈选条件，否则会圈中所有客户 / choose a segment or add conditions (otherwise everyone is enrolled)',
        });
      }
      if (c.schedule === 'calendar') {
        for (const p of entryScheduleProblems(c.calendar)) {
          ctx.addIssue({ code: 'custom', path: ['calendar', p.path], message: p.message });
        }
      }
      if (c.schedule === 'repeat' && durationToMs(c.every) < 3_600_000) {
        ctx.addIssue({ code: 'custom', path: ['every'], message: '重复间隔至少 1 小时 / repeat at most hourly' });
      }
    }),
  defaultConfig: {
    filter: { match: 'all', conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] },
    schedule: 'once',
    every: { amount: 1, unit: 'days' },
  },
  outputs: NEXT_PORT,
  entry: {
    trigger: (config) => ({
      kind: 'audience',
      filter: config.filter,
      segmentId: config.segmentId,
      everyMs: config.schedule === 'repeat' ? durationToMs(config.every) : undefined,
      calendar: config.schedule === 'calendar' ? config.calendar : undefined,
    }),
  },
});

export const apiEntry = defineNode({
  type: 'core.apiEntry',
  version: 1,
  category: 'entry',
  icon: 'api',
  label: t('API 入口', 'API entry'),
  description: t(
    '由品牌自己的系统调用接口（或运营手动）把客户加入旅程',
    "Customers are enrolled by the brand's own systems through the API (or by hand)",
  ),
  config: z.object({}),
  defaultConfig: {},
  outputs: NEXT_PORT,
  entry: { trigger: () => ({ kind: 'api' }) },
});
