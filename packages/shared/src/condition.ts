import { z } from 'zod';

/**
 * Conditions are how operators say "who" without code: branch cases, event filters, exit rules,
 * goals and audience segments all use this one language, so the editor needs one form for it and
 * the runtime one evaluator.
 *
 * `field` is a dotted path into the evaluation context, e.g. `tags`, `attributes.city`,
 * `rfm.segment`, `channel.code`, `event.data.amount`.
 */
export const CONDITION_OPERATORS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'notIn',
  'contains',
  'notContains',
  'exists',
  'notExists',
  'hasTag',
  'lacksTag',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const ConditionSchema = z
  .object({
    field: z.string().min(1).max(200),
    op: z.enum(CONDITION_OPERATORS),
    value: z.union([ScalarSchema, z.array(ScalarSchema)]).optional(),
  })
  .superRefine((c, ctx) => {
    const needsValue = !['exists', 'notExists'].includes(c.op);
    if (needsValue && c.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${c.op}" needs a value` });
    }
    if (['in', 'notIn'].includes(c.op) && !Array.isArray(c.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${c.op}" needs a list of values` });
    }
  });
export type Condition = z.infer<typeof ConditionSchema>;

/** All (AND) or any (OR) of a list of conditions. An empty list matches everyone. */
export const FilterSchema = z.object({
  match: z.enum(['all', 'any']).default('all'),
  conditions: z.array(ConditionSchema).max(50).default([]),
});
export type Filter = z.infer<typeof FilterSchema>;

function readPath(context: unknown, path: string): unknown {
  let current: unknown = context;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function compare(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    // ISO dates and plain strings both order correctly as strings; numbers-as-strings are compared numerically.
    const na = Number(a);
    const nb = Number(b);
    if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'string' && !Number.isNaN(Number(b))) return a - Number(b);
  if (typeof a === 'string' && typeof b === 'number' && !Number.isNaN(Number(a))) return Number(a) - b;
  return undefined;
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const order = compare(a, b);
  return order === 0;
}

export function evaluateCondition(condition: Condition, context: Record<string, unknown>): boolean {
  const actual = readPath(context, condition.field);
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return actual !== undefined && actual !== null && actual !== '';
    case 'notExists':
      return actual === undefined || actual === null || actual === '';
    case 'eq':
      return looselyEqual(actual, expected);
    case 'neq':
      return !looselyEqual(actual, expected);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const order = compare(actual, expected);
      if (order === undefined) return false;
      if (condition.op === 'gt') return order > 0;
      if (condition.op === 'gte') return order >= 0;
      if (condition.op === 'lt') return order < 0;
      return order <= 0;
    }
    case 'in':
      return Array.isArray(expected) && expected.some((v) => looselyEqual(actual, v));
    case 'notIn':
      return Array.isArray(expected) && !expected.some((v) => looselyEqual(actual, v));
    case 'contains':
    case 'notContains': {
      const has = Array.isArray(actual)
        ? actual.some((v) => looselyEqual(v, expected))
        : typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
      return condition.op === 'contains' ? has : !has;
    }
    case 'hasTag':
    case 'lacksTag': {
      const tags = readPath(context, 'tags');
      const wanted = Array.isArray(expected) ? expected : [expected];
      const has = Array.isArray(tags) && wanted.every((w) => tags.includes(w));
      return condition.op === 'hasTag' ? has : !has;
    }
  }
}

export function evaluateFilter(filter: Filter, context: Record<string, unknown>): boolean {
  if (filter.conditions.length === 0) return true;
  return filter.match === 'all'
    ? filter.conditions.every((c) => evaluateCondition(c, context))
    : filter.conditions.some((c) => evaluateCondition(c, context));
}
