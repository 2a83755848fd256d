import { z } from 'zod';
import { ConditionSchema, evaluateCondition, FilterSchema } from './condition.ts';

/**
 * Saved segments (人群圈选) say more than a branch condition can: AND/OR groups of rules, and rules
 * about what a customer did in a period ("paid an order at least twice in the last 30 days"). The
 * one schema for a segment; a plain Filter is a valid segment with no groups.
 */

const DAY_MS = 86_400_000;

/** The period an event rule counts in: the last N days before now, or fixed epoch-ms bounds [from, to). */
export const EventPeriodSchema = z.union([
  z.object({ lastDays: z.number().int().min(1).max(3650) }).strict(),
  z
    .object({ from: z.number().int().min(0), to: z.number().int().min(0) })
    .strict()
    .refine((p) => p.to > p.from, { message: 'the period must end after it starts', path: ['to'] }),
]);
export type EventPeriod = z.infer<typeof EventPeriodSchema>;

/** "Did event X at least / fewer than N times in the period" (fewer than 1 = never did it). */
export const EventRuleSchema = z
  .object({
    event: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[a-z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+$/, 'an event type looks like "order.paid"'),
    op: z.enum(['atLeast', 'fewerThan']),
    times: z.number().int().min(1).max(100_000).default(1),
    period: EventPeriodSchema,
  })
  .strict();
export type EventRule = z.infer<typeof EventRuleSchema>;

/** One row of a group: a customer condition (tags, attributes, RFM…) or an event rule. */
export const SegmentRuleSchema = z.union([EventRuleSchema, ConditionSchema]);
export type SegmentRule = z.infer<typeof SegmentRuleSchema>;

/** A group of rules, all (AND) or any (OR) of them; an empty group matches everyone. */
export const SegmentGroupSchema = z.object({
  match: z.enum(['all', 'any']).default('all'),
  rules: z.array(SegmentRuleSchema).max(50).default([]),
});
export type SegmentGroup = z.infer<typeof SegmentGroupSchema>;

/** A segment: top-level conditions and groups, combined by `match`. */
export const SegmentFilterSchema = FilterSchema.extend({
  groups: z.array(SegmentGroupSchema).max(20).default([]),
});
export type SegmentFilter = z.infer<typeof SegmentFilterSchema>;
/** What segment readers accept: a full segment or a plain Filter (no groups). */
export type SegmentFilterLike = Omit<SegmentFilter, 'groups'> & { groups?: SegmentGroup[] };

export const isEventRule = (rule: SegmentRule): rule is EventRule => 'event' in rule;

/** The event rules of a segment, wherever they sit. */
export function eventRulesOf(filter: SegmentFilterLike): EventRule[] {
  return (filter.groups ?? []).flatMap((g) => g.rules.filter(isEventRule));
}

/** The [from, to) epoch-ms window a rule counts events in, at `now`. */
export function eventWindow(period: EventPeriod, now: number): { from: number; to: number } {
  return 'lastDays' in period ? { from: now - period.lastDays * DAY_MS, to: now + 1 } : period;
}

/** Names an event count (type and period) in a context's `eventCounts`. */
export function eventCountKey(rule: Pick<EventRule, 'event' | 'period'>): string {
  const p = rule.period;
  return 'lastDays' in p ? `${rule.event}|last${p.lastDays}d` : `${rule.event}|${p.from}-${p.to}`;
}

/** What an event rule reads from the context: counts per `eventCountKey`, filled by the reader. */
export type EventCounts = Record<string, number>;

function evaluateRule(rule: SegmentRule, context: Record<string, unknown>): boolean {
  if (!isEventRule(rule)) return evaluateCondition(rule, context);
  const counts = context.eventCounts as EventCounts | undefined;
  const n = counts?.[eventCountKey(rule)] ?? 0;
  return rule.op === 'atLeast' ? n >= rule.times : n < rule.times;
}

function combine(match: 'all' | 'any', results: readonly (() => boolean)[]): boolean {
  if (results.length === 0) return true;
  return match === 'all' ? results.every((r) => r()) : results.some((r) => r());
}

/** Whether a customer (its condition context, with `eventCounts` for event rules) is in the segment. */
export function evaluateSegment(filter: SegmentFilterLike, context: Record<string, unknown>): boolean {
  return combine(filter.match, [
    ...filter.conditions.map((c) => () => evaluateCondition(c, context)),
    ...(filter.groups ?? []).map(
      (g) => () =>
        combine(
          g.match,
          g.rules.map((r) => () => evaluateRule(r, context)),
        ),
    ),
  ]);
}
