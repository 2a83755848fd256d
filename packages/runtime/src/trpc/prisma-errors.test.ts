import { describe, expect, it } from 'vitest';
import { createHarness } from './harness.test-helper.ts';
import { callerErrorFromPrisma } from './prisma-errors.ts';

describe('callerErrorFromPrisma', () => {
  it('names the model and the field of a unique-constraint conflict', async () => {
    const h = await createHarness();
    try {
      const error = await h.db.prisma.operator
        .create({ data: { id: 'dup', username: 'admin', displayName: 'a', passwordHash: 'h', role: 'admin' } })
        .catch((e: unknown) => e);
      const mapped = callerErrorFromPrisma(error);
      expect(mapped?.code).toBe('CONFLICT');
      expect(mapped?.message).toBe('Operator (username) already exists');
      expect((mapped as { detail?: unknown }).detail).toEqual({
        key: 'record.exists',
        params: { what: 'Operator', fields: 'username' },
      });
    } finally {
      await h.close();
    }
  });

  it('leaves other errors alone', () => {
    expect(callerErrorFromPrisma(new Error('boom'))).toBeUndefined();
    expect(callerErrorFromPrisma(null)).toBeUndefined();
  });
});
