import { describe, expect, it } from 'vitest';
import { schemaDriftSql } from './schema-drift.ts';

describe('migrations and schema.prisma', () => {
  it('agree: replaying every committed migration gives exactly the schema', async () => {
    // Non-empty means a schema edit has no migration (run `pnpm --filter @siyu/runtime db:migration <name>`).
    expect(await schemaDriftSql()).toBe('');
  }, 60_000);
});
