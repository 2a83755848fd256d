import { describe, expect, it } from 'vitest';
import { FilterSchema } from './condition.ts';
import { evaluateSegment, eventCountKey, eventRulesOf, eventWindow, SegmentFilterSchema } from './segment-filter.ts';

const NOW = Date.parse('2026-12-01T00:00:00.000Z');
const paid30 = { event: 'order.paid', op: 'atLeast', times: 2, period: { lastDays: 30 } } as const;

describe('segment filter', () => {
  it('reads an old plain filter as a segment with no groups', () => {
    const plain = FilterSchema.parse({ conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] });
    expect(SegmentFilterSchema.parse(plain)).toEqual({ ...plain, groups: [] });
  });

  it('tells event rules from conditions and rejects a malformed one', () => {
    const f = SegmentFilterSchema.parse({
      groups: [{ match: 'any', rules: [paid30, { field: 'attributes.city', op: 'eq', value: '上海' }] }],
    });
    expect(eventRulesOf(f)).toEqual([paid30]);
    expect(
      SegmentFilterSchema.safeParse({
        groups: [{ rules: [{ event: 'paid', op: 'atLeast', period: { lastDays: 3 } }] }],
      }).success,
    ).toBe(false);
    expect(
      SegmentFilterSchema.safeParse({ groups: [{ rules: [{ ...paid30, period: { from: 10, to: 5 } }] }] }).success,
    ).toBe(false);
  });

  it('combines groups with AND/OR and counts events per period', () => {
    const f = SegmentFilterSchema.parse({
      match: 'all',
      conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }],
      groups: [
        {
          match: 'any',
          rules: [paid30, { field: 'rfm.segment', op: 'eq', value: 'champions' }],
        },
      ],
    });
    const key = eventCountKey(paid30);
    const ctx = (tags: string[], paid: number, segment = 'lost') => ({
      tags,
      rfm: { segment },
      eventCounts: { [key]: paid },
    });
    expect(evaluateSegment(f, ctx(['VIP'], 2))).toBe(true);
    expect(evaluateSegment(f, ctx(['VIP'], 1))).toBe(false);
    expect(evaluateSegment(f, ctx(['VIP'], 0, 'champions'))).toBe(true);
    expect(evaluateSegment(f, ctx([], 5))).toBe(false);
    const never = SegmentFilterSchema.parse({
      groups: [{ rules: [{ event: 'order.paid', op: 'fewerThan', period: { lastDays: 7 } }] }],
    });
    expect(evaluateSegment(never, {})).toBe(true);
    expect(eventWindow({ lastDays: 1 }, NOW)).toEqual({ from: NOW - 86_400_000, to: NOW + 1 });
    expect(eventWindow({ from: 1, to: 2 }, NOW)).toEqual({ from: 1, to: 2 });
  });
});
