import type { Condition, ConditionOperator, Filter } from '@siyu/shared';

/** Operators in the order the builder offers them, with their labels and the value each needs. */
export const OPERATORS: { op: ConditionOperator; zh: string; en: string; value: 'one' | 'list' | 'none' | 'tags' }[] = [
  { op: 'hasTag', zh: '有标签', en: 'has tag', value: 'tags' },
  { op: 'lacksTag', zh: '没有标签', en: 'lacks tag', value: 'tags' },
  { op: 'eq', zh: '等于', en: 'equals', value: 'one' },
  { op: 'neq', zh: '不等于', en: 'does not equal', value: 'one' },
  { op: 'gt', zh: '大于', en: 'greater than', value: 'one' },
  { op: 'gte', zh: '大于等于', en: 'at least', value: 'one' },
  { op: 'lt', zh: '小于', en: 'less than', value: 'one' },
  { op: 'lte', zh: '小于等于', en: 'at most', value: 'one' },
  { op: 'in', zh: '属于', en: 'is one of', value: 'list' },
  { op: 'notIn', zh: '不属于', en: 'is none of', value: 'list' },
  { op: 'contains', zh: '包含', en: 'contains', value: 'one' },
  { op: 'notContains', zh: '不包含', en: 'does not contain', value: 'one' },
  { op: 'exists', zh: '有值', en: 'is set', value: 'none' },
  { op: 'notExists', zh: '没有值', en: 'is not set', value: 'none' },
];

/** Fields offered first (any dotted path can still be typed, e.g. attributes.city). */
export const SUGGESTED_FIELDS: { field: string; zh: string; en: string }[] = [
  { field: 'tags', zh: '标签', en: 'Tags' },
  { field: 'channel.code', zh: '来源渠道', en: 'Channel code' },
  { field: 'channel.variant', zh: '渠道版本', en: 'Channel variant' },
  { field: 'rfm.segment', zh: 'RFM 分层', en: 'RFM segment' },
  { field: 'rfm.recency', zh: 'RFM 最近购买分 (1–5)', en: 'RFM recency score (1–5)' },
  { field: 'rfm.frequency', zh: 'RFM 购买频次分 (1–5)', en: 'RFM frequency score (1–5)' },
  { field: 'rfm.monetary', zh: 'RFM 消费金额分 (1–5)', en: 'RFM monetary score (1–5)' },
  { field: 'attributes.city', zh: '属性：城市', en: 'Attribute: city' },
  { field: 'identities.phone', zh: '手机号', en: 'Phone' },
  { field: 'data.amountCents', zh: '事件数据：金额（分）', en: 'Event data: amount (cents)' },
  { field: 'type', zh: '事件类型', en: 'Event type' },
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
