// Waiting nodes. None of them holds anything in memory: each returns an AwaitSpec (events and/or
// an instant) that the runtime turns into a durable timer and an event subscription.
import {
  ClockTimeSchema,
  DailyWindowSchema,
  DEFAULT_TIME_ZONE,
  DurationSchema,
  defineNode,
  durationToMs,
  EventTypeSchema,
  FilterSchema,
  nextInWindow,
  TimeZoneSchema,
  t,
} from '@siyu/shared';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { NEXT_PORT } from './ports.ts';

export const wait = defineNode({
  type: 'core.wait',
  version: 1,
  category: 'flow',
  icon: 'clock',
  label: t('等待', 'Wait'),
  description: t(
    '等待一段时间后继续（持久定时器，重启不丢失）',
    'Waits for a duration (a durable timer that survives restarts)',
  ),
  config: z.object({ duration: DurationSchema.meta({ widget: 'duration', label: t('时长', 'Duration') }) }),
  defaultConfig: { duration: { amount: 1, unit: 'days' } },
  outputs: NEXT_PORT,
  await: (config, ctx) => ({
    timeout: { at: new Date(ctx.now.getTime() + durationToMs(config.duration)), port: 'next' },
  }),
});

/** The form shows one mode's fields (new nodes start with mode 'window'). */
const WHEN_WINDOW = { field: 'mode', oneOf: ['window'] };
const WHEN_DATE = { field: 'mode', oneOf: ['dateAttribute'] };

export const WaitUntilConfigSchema = z
  .object({
    mode: z
      .enum(['window', 'dateAttribute'])
      .default('window')
      .meta({ widget: 'select', label: t('等到', 'Wait until') }),
    /** mode "window": the next time the customer is inside this weekday/time window. */
    window: DailyWindowSchema.default({ timeZone: DEFAULT_TIME_ZONE, start: '10:00', end: '12:00', weekdays: [] }).meta(
      {
        widget: 'timeWindow',
        label: t('时间窗口', 'Time window'),
        visibleIf: WHEN_WINDOW,
      },
    ),
    /** mode "dateAttribute": a date attribute such as `birthday` or `membershipEnds` (YYYY-MM-DD or ISO). */
    attribute: z
      .string()
      .trim()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: '属性名只能包含字母、数字和下划线 / letters, digits and _ only' })
      .optional()
      .meta({ label: t('日期属性', 'Date attribute'), visibleIf: WHEN_DATE }),
    /** Days before (negative) or after (positive) the date. */
    offsetDays: z
      .number()
      .int()
      .min(-366)
      .max(366)
      .default(0)
      .meta({ label: t('提前(-)/推后(+)天数', 'Days before (-) / after (+)'), visibleIf: WHEN_DATE }),
    /** Time of day on that date. */
    atTime: ClockTimeSchema.default('10:00').meta({ label: t('当天时间', 'Time of day'), visibleIf: WHEN_DATE }),
    /** Birthdays and anniversaries: the next occurrence of the month and day. */
    yearly: z
      .boolean()
      .default(false)
      .meta({ label: t('每年重复（生日、纪念日）', 'Every year (birthdays)'), visibleIf: WHEN_DATE }),
    /** The date attribute's zone (the time window carries its own). */
    timeZone: TimeZoneSchema.default(DEFAULT_TIME_ZONE).meta({ widget: 'timeZone', visibleIf: WHEN_DATE }),
  })
  .superRefine((c, ctx) => {
    if (c.mode === 'dateAttribute' && !c.attribute) {
      ctx.addIssue({ code: 'custom', path: ['attribute'], message: '请填写日期属性名 / enter the date attribute' });
    }
  });
export type WaitUntilConfig = z.output<typeof WaitUntilConfigSchema>;

/**
 * The instant a "wait until date attribute" node releases a customer, or undefined when the
 * attribute is missing, not a date, or (for a one-off date) already past.
 */
export function dateAttributeInstant(config: WaitUntilConfig, value: unknown, now: Date): Date | undefined {
  if (typeof value !== 'string' && !(value instanceof Date) && typeof value !== 'number') return undefined;
  const parsed =
    value instanceof Date
      ? DateTime.fromJSDate(value, { zone: config.timeZone })
      : typeof value === 'number'
        ? DateTime.fromMillis(value, { zone: config.timeZone })
        : DateTime.fromISO(value, { zone: config.timeZone });
  if (!parsed.isValid) return undefined;
  const [hour, minute] = config.atTime.split(':').map(Number) as [number, number];
  const at = (day: DateTime) =>
    day.startOf('day').plus({ days: config.offsetDays }).set({ hour, minute, second: 0, millisecond: 0 });
  if (!config.yearly) {
    const instant = at(parsed);
    return instant.toMillis() >= now.getTime() ? instant.toJSDate() : undefined;
  }
  const today = DateTime.fromJSDate(now, { zone: config.timeZone });
  for (let year = today.year - 1; year <= today.year + 1; year++) {
    // Feb 29 birthdays fall on Feb 28 in other years (luxon clamps the day).
    const instant = at(parsed.set({ year }));
    if (instant.toMillis() >= now.getTime()) return instant.toJSDate();
  }
  return undefined;
}

export const waitUntil = defineNode({
  type: 'core.waitUntil',
  version: 1,
  category: 'flow',
  icon: 'calendar',
  label: t('等到指定时间', 'Wait until'),
  description: t(
    '等到下一个时间窗口（如工作日 10:00–12:00），或等到客户的日期属性（如生日前 3 天）',
    "Waits for the next time window (e.g. weekdays 10:00–12:00), or a customer's date attribute (e.g. 3 days before the birthday)",
  ),
  config: WaitUntilConfigSchema,
  defaultConfig: {
    mode: 'window',
    window: { timeZone: DEFAULT_TIME_ZONE, start: '10:00', end: '12:00', weekdays: [] },
  },
  outputs: (config) =>
    config.mode === 'dateAttribute'
      ? [
          { id: 'next', label: t('到点', 'On time') },
          { id: 'missing', label: t('无日期/已过', 'No date / past'), required: false },
        ]
      : [...NEXT_PORT],
  await: (config, ctx) => {
    if (config.mode === 'window') return { timeout: { at: nextInWindow(config.window, ctx.now), port: 'next' } };
    const value = config.attribute ? ctx.customer.attributes[config.attribute] : undefined;
    const at = dateAttributeInstant(config, value, ctx.now);
    // No usable date: leave by "missing" on the next tick rather than waiting forever.
    return at ? { timeout: { at, port: 'next' } } : { timeout: { at: ctx.now, port: 'missing' } };
  },
});

export const waitForEvent = defineNode({
  type: 'core.waitForEvent',
  version: 1,
  category: 'flow',
  icon: 'hourglass',
  label: t('等待事件', 'Wait for event'),
  description: t(
    '等待客户发生某事件（如下单、核销、点击），超时走"超时"',
    'Waits for the customer to do something (order, redeem, click); goes to "timed out" otherwise',
  ),
  config: z.object({
    event: EventTypeSchema.meta({ widget: 'eventType', label: t('事件', 'Event') }),
    filter: FilterSchema.default({ match: 'all', conditions: [] }).meta({
      widget: 'filter',
      label: t('事件条件', 'Event filter'),
    }),
    timeout: DurationSchema.meta({ widget: 'duration', label: t('超时', 'Timeout') }),
  }),
  defaultConfig: {
    event: 'order.placed',
    filter: { match: 'all', conditions: [] },
    timeout: { amount: 7, unit: 'days' },
  },
  outputs: [
    { id: 'matched', label: t('已发生', 'Happened') },
    { id: 'timeout', label: t('超时', 'Timed out') },
  ],
  await: (config, ctx) => ({
    events: [
      { type: config.event, filter: config.filter.conditions.length > 0 ? config.filter : undefined, port: 'matched' },
    ],
    timeout: { at: new Date(ctx.now.getTime() + durationToMs(config.timeout)), port: 'timeout' },
  }),
  waitsFor: (config) => [config.event],
});
