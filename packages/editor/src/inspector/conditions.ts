import type { Condition, ConditionOperator, Filter } from '@siyu/shared';

/** The operators in the order the builder offers them (words: inspector:conditionOperators.*), and what value each takes. */
export const OPERATORS: { op: ConditionOperator; value: 'one' | 'list' | 'none' | 'tags' }[] = [
  { op: 'hasTag', value: 'tags' },
  { op: 'lacksTag', value: 'tags' },
  { op: 'eq', value: 'one' },
  { op: 'neq', value: 'one' },
  { op: 'gt', value: 'one' },
  { op: 'gte', value: 'one' },
  { op: 'lt', value: 'one' },
  { op: 'lte', value: 'one' },
  { op: 'in', value: 'list' },
  { op: 'notIn', value: 'list' },
  { op: 'contains', value: 'one' },
  { op: 'notContains', value: 'one' },
  { op: 'exists', value: 'none' },
  { op: 'notExists', value: 'none' },
];

/**
 * Fields offered first (any dotted path can still be typed, e.g. attributes.city); words:
 * inspector:conditionFields.*.
 */
export const SUGGESTED_FIELDS: string[] = [
  'tags',
  'channel.code',
  'channel.variant',
  'rfm.segment',
  'rfm.recency',
  'rfm.frequency',
  'rfm.monetary',
  'attributes.city',
  'identities.phone',
  'data.amountCents',
  'type',
];

export const operatorInfo = (op: string) => OPERATORS.find((o) => o.op === op) ?? OPERATORS[2];

/** Text typed for a value: numbers stay numbers ("100" → 100), true/false booleans, else text. */
export function parseScalar(text: string): string | number | boolean {
  const t = text.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  return t;
}

/** "北京, 上海，广州" → ['北京', '上海', '广州'] (Chinese or Latin commas). */
export function parseList(text: string): (string | number | boolean)[] {
  return text
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseScalar);
}

export function valueText(value: Condition['value']): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Switching the operator keeps what it can of the value: a single value becomes a one-item list
 * for "is one of", a list keeps its first item for "equals", and "is set" drops it.
 */
export function changeOperator(c: Condition, op: ConditionOperator): Condition {
  const kind = operatorInfo(op)?.value;
  const values = c.value === undefined ? [] : Array.isArray(c.value) ? c.value : [c.value];
  if (kind === 'none') return { field: c.field, op };
  if (kind === 'list') return { field: c.field, op, value: values };
  if (kind === 'tags')
    return { field: 'tags', op, value: values.length > 1 ? values.map(String) : String(values[0] ?? '') };
  return { field: c.field === 'tags' ? '' : c.field, op, value: values[0] ?? '' };
}

export const emptyFilter = (): Filter => ({ match: 'all', conditions: [] });
export const newCondition = (): Condition => ({ field: 'tags', op: 'hasTag', value: '' });
