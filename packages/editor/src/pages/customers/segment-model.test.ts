import { SegmentFilterSchema } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { draftOf, emptyDraft, filterOf, newRow } from './segment-model.ts';

describe('segment builder model', () => {
  it('leaves rows not filled in out of the filter', () => {
    expect(filterOf(emptyDraft())).toEqual({ match: 'all', conditions: [], groups: [] });
  });

  it('turns rows into rules the server accepts, and back', () => {
    const draft = {
      match: 'any' as const,
      groups: [
        {
          match: 'all' as const,
          rows: [
            { kind: 'tag' as const, op: 'hasTag' as const, tag: 'VIP' },
            { kind: 'attribute' as const, key: 'city', op: 'eq' as const, value: '上海' },
            { kind: 'attribute' as const, key: 'email', op: 'exists' as const },
          ],
        },
        {
          match: 'any' as const,
          rows: [
            { kind: 'rfm' as const, op: 'eq' as const, layer: 'champions' },
            {
              kind: 'event' as const,
              event: 'order.paid',
              op: 'atLeast' as const,
              times: 2,
              period: { mode: 'lastDays' as const, days: 30 },
            },
            {
              kind: 'event' as const,
              event: 'link.clicked',
              op: 'fewerThan' as const,
              times: 1,
              period: { mode: 'range' as const, from: 1000, to: 2000 },
            },
          ],
        },
      ],
    };
    const filter = filterOf(draft);
    expect(SegmentFilterSchema.parse(filter)).toEqual(filter);
    expect(draftOf(filter)).toEqual(draft);
  });

  it('keeps rules it cannot edit and opens old top-level conditions as groups', () => {
    const filter = SegmentFilterSchema.parse({
      match: 'any',
      conditions: [{ field: 'channel.code', op: 'eq', value: 'store' }],
      groups: [],
    });
    const draft = draftOf(filter);
    expect(draft.groups[0]?.rows[0]).toMatchObject({ kind: 'other' });
    expect(filterOf(draft)).toEqual({
      match: 'any',
      conditions: [],
      groups: [{ match: 'all', rules: [{ field: 'channel.code', op: 'eq', value: 'store' }] }],
    });
    expect(newRow('event')).toMatchObject({ period: { mode: 'lastDays', days: 30 } });
  });
});
