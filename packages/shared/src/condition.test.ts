import { describe, expect, it } from 'vitest';
import { ConditionSchema, evaluateFilter, FilterSchema } from './condition.ts';

const customer = {
  tags: ['vip', 'source:package-card'],
  attributes: { city: '杭州', orders: 3, spend: '1280.5', birthday: '1990-05-01' },
  channel: { code: 'PKG-A', variant: 'b' },
  rfm: { segment: 'champions', recency: 5 },
};
const matches = (conditions: unknown[], match: 'all' | 'any' = 'all') =>
  evaluateFilter(FilterSchema.parse({ match, conditions }), customer);

describe('conditions', () => {
  it('compare scalars, numbers given as strings, and dates as ISO strings', () => {
    expect(matches([{ field: 'attributes.city', op: 'eq', value: '杭州' }])).toBe(true);
    expect(matches([{ field: 'attributes.orders', op: 'gte', value: 3 }])).toBe(true);
    expect(matches([{ field: 'attributes.orders', op: 'gt', value: 3 }])).toBe(false);
    expect(matches([{ field: 'attributes.spend', op: 'gt', value: 1000 }])).toBe(true);
    expect(matches([{ field: 'attributes.birthday', op: 'lt', value: '2000-01-01' }])).toBe(true);
    expect(matches([{ field: 'channel.variant', op: 'in', value: ['a', 'b'] }])).toBe(true);
    expect(matches([{ field: 'rfm.segment', op: 'notIn', value: ['lost'] }])).toBe(true);
  });

  it('check tags and existence', () => {
    expect(matches([{ field: 'tags', op: 'hasTag', value: 'vip' }])).toBe(true);
    expect(matches([{ field: 'tags', op: 'hasTag', value: ['vip', 'core'] }])).toBe(false);
    expect(matches([{ field: 'tags', op: 'lacksTag', value: 'core' }])).toBe(true);
    expect(matches([{ field: 'tags', op: 'contains', value: 'source:package-card' }])).toBe(true);
    expect(matches([{ field: 'attributes.email', op: 'notExists' }])).toBe(true);
    expect(matches([{ field: 'attributes.city', op: 'exists' }])).toBe(true);
  });

  it('combine with all / any; an empty filter matches everyone', () => {
    const vip = { field: 'tags', op: 'hasTag', value: 'vip' };
    const shanghai = { field: 'attributes.city', op: 'eq', value: '上海' };
    expect(matches([vip, shanghai], 'all')).toBe(false);
    expect(matches([vip, shanghai], 'any')).toBe(true);
    expect(matches([])).toBe(true);
  });

  it('never match a comparison across incomparable types', () => {
    expect(matches([{ field: 'attributes.city', op: 'gt', value: 5 }])).toBe(false);
    expect(matches([{ field: 'missing.path', op: 'lt', value: 5 }])).toBe(false);
  });

  it('reject conditions missing their value, with the path', () => {
    const result = ConditionSchema.safeParse({ field: 'tags', op: 'in', value: 'vip' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['value']);
    expect(ConditionSchema.safeParse({ field: 'tags', op: 'eq' }).success).toBe(false);
    expect(ConditionSchema.safeParse({ field: 'x', op: 'exists' }).success).toBe(true);
  });
});
