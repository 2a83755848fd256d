import { describe, expect, it } from 'vitest';
import { defaultMapping, unmappedCount } from './migration.ts';

describe('in-flight migration mapping', () => {
  it('maps nodes kept in the new version to themselves and leaves removed ones unmapped', () => {
    const mapping = defaultMapping(['wait', 'oldSms'], new Set(['entry', 'wait', 'newSms']));
    expect(mapping).toEqual({ wait: 'wait' });
    const occupied = [
      { nodeId: 'wait', waiting: 3 },
      { nodeId: 'oldSms', waiting: 2 },
    ];
    expect(unmappedCount(occupied, mapping)).toBe(2);
    expect(unmappedCount(occupied, { ...mapping, oldSms: 'newSms' })).toBe(0);
  });
});
