import { describe, expect, it } from 'vitest';
import { changeOperator, parseList, parseScalar, valueText } from './conditions.ts';

describe('condition builder values', () => {
  it('parses typed values the way the evaluator compares them', () => {
    expect(parseScalar(' 100 ')).toBe(100);
    expect(parseScalar('false')).toBe(false);
    expect(parseScalar('北京')).toBe('北京');
    expect(parseList('北京, 上海，3')).toEqual(['北京', '上海', 3]);
    expect(valueText(['a', 2])).toBe('a, 2');
    expect(valueText(undefined)).toBe('');
  });

  it('keeps what it can of the value when the operator changes', () => {
    const eq = { field: 'attributes.city', op: 'eq' as const, value: '北京' };
    expect(changeOperator(eq, 'in')).toEqual({ field: 'attributes.city', op: 'in', value: ['北京'] });
    expect(changeOperator({ ...eq, op: 'in', value: ['a', 'b'] }, 'neq')).toMatchObject({ value: 'a' });
    expect(changeOperator(eq, 'exists')).toEqual({ field: 'attributes.city', op: 'exists' });
    // Tag operators always read the customer's tags.
    expect(changeOperator(eq, 'hasTag')).toEqual({ field: 'tags', op: 'hasTag', value: '北京' });
    expect(changeOperator({ field: 'tags', op: 'hasTag', value: 'VIP' }, 'eq')).toEqual({
      field: '',
      op: 'eq',
      value: 'VIP',
    });
  });
});
