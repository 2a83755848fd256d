import type { Condition, EventRule, SegmentFilter, SegmentRule } from '@siyu/shared';

/**
 * The segment builder's rows and their server form. An operator builds AND/OR groups of rows, each
 * a field (tag, attribute, RFM layer, event) with an operator and a value; a row not filled in yet
 * is left out of the live count and the saved segment rather than refused.
 */
export type AttributeOp = 'eq' | 'neq' | 'contains' | 'gt' | 'lt' | 'exists' | 'notExists';
export type RowDraft =
  | { kind: 'tag'; op: 'hasTag' | 'lacksTag'; tag?: string }
  | { kind: 'attribute'; key?: string; op: AttributeOp; value?: string }
  | { kind: 'rfm'; op: 'eq' | 'neq'; layer?: string }
  | {
      kind: 'event';
      event?: string;
      op: EventRule['op'];
      times: number;
      period: { mode: 'lastDays'; days: number } | { mode: 'range'; from?: number; to?: number };
    }
  /** A rule this page does not edit (made elsewhere, e.g. by the API): kept as it is. */
  | { kind: 'other'; rule: SegmentRule };

export type RowKind = Exclude<RowDraft['kind'], 'other'>;
export interface GroupDraft {
  match: 'all' | 'any';
  rows: RowDraft[];
}
export interface SegmentDraft {
  match: 'all' | 'any';
  groups: GroupDraft[];
}

export const ATTRIBUTE_OPS: readonly AttributeOp[] = ['eq', 'neq', 'contains', 'gt', 'lt', 'exists', 'notExists'];

export function newRow(kind: RowKind): RowDraft {
  if (kind === 'tag') return { kind, op: 'hasTag' };
  if (kind === 'attribute') return { kind, op: 'eq' };
  if (kind === 'rfm') return { kind, op: 'eq' };
  return { kind, op: 'atLeast', times: 1, period: { mode: 'lastDays', days: 30 } };
}

export const emptyDraft = (): SegmentDraft => ({ match: 'all', groups: [{ match: 'all', rows: [newRow('tag')] }] });

/** The row as a rule, or undefined while it is not filled in. */
export function ruleOf(row: RowDraft): SegmentRule | undefined {
  switch (row.kind) {
    case 'tag':
      return row.tag ? { field: 'tags', op: row.op, value: row.tag } : undefined;
    case 'attribute': {
      if (!row.key) return undefined;
      const field = `attributes.${row.key}`;
      if (row.op === 'exists' || row.op === 'notExists') return { field, op: row.op };
      return row.value !== undefined && row.value !== '' ? { field, op: row.op, value: row.value } : undefined;
    }
    case 'rfm':
      return row.layer ? { field: 'rfm.segment', op: row.op, value: row.layer } : undefined;
    case 'event': {
      if (!row.event) return undefined;
      const p = row.period;
      const period =
        p.mode === 'lastDays'
          ? p.days >= 1
            ? { lastDays: Math.floor(p.days) }
            : undefined
          : p.from !== undefined && p.to !== undefined && p.to > p.from
            ? { from: p.from, to: p.to }
            : undefined;
      return period ? { event: row.event, op: row.op, times: Math.max(1, Math.floor(row.times)), period } : undefined;
    }
    case 'other':
      return row.rule;
  }
}

/** The draft as the server's segment filter: filled-in rows only, empty groups dropped. */
export function filterOf(draft: SegmentDraft): SegmentFilter {
  const groups = draft.groups
    .map((g) => ({ match: g.match, rules: g.rows.flatMap((r) => ruleOf(r) ?? []) }))
    .filter((g) => g.rules.length > 0);
  return { match: draft.match, conditions: [], groups };
}

function rowOf(rule: SegmentRule): RowDraft {
  if ('event' in rule) {
    const period =
      'lastDays' in rule.period
        ? { mode: 'lastDays' as const, days: rule.period.lastDays }
        : { mode: 'range' as const, from: rule.period.from, to: rule.period.to };
    return { kind: 'event', event: rule.event, op: rule.op, times: rule.times, period };
  }
  const c: Condition = rule;
  if (c.field === 'tags' && (c.op === 'hasTag' || c.op === 'lacksTag') && typeof c.value === 'string')
    return { kind: 'tag', op: c.op, tag: c.value };
  if (c.field === 'rfm.segment' && (c.op === 'eq' || c.op === 'neq') && typeof c.value === 'string')
    return { kind: 'rfm', op: c.op, layer: c.value };
  if (c.field.startsWith('attributes.') && (ATTRIBUTE_OPS as readonly string[]).includes(c.op)) {
    const value = c.value === undefined ? undefined : String(c.value);
    if (!Array.isArray(c.value)) return { kind: 'attribute', key: c.field.slice(11), op: c.op as AttributeOp, value };
  }
  return { kind: 'other', rule };
}

/** A saved segment back in the builder; its top-level conditions become one-row groups (same meaning). */
export function draftOf(filter: SegmentFilter): SegmentDraft {
  return {
    match: filter.match,
    groups: [
      ...filter.conditions.map((c) => ({ match: 'all' as const, rows: [rowOf(c)] })),
      ...filter.groups.map((g) => ({ match: g.match, rows: g.rules.map(rowOf) })),
    ],
  };
}
