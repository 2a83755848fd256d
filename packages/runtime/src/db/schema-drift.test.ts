import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA_PATH, SCHEMA_PATH } from './migrations.ts';
import { postgresServerUrl } from './postgres-for-tests.test-helper.ts';
import { postgresSchemaText } from './postgres-schema.ts';
import { schemaDriftSql } from './schema-drift.ts';

// Non-empty drift means a schema edit has no migration: run `pnpm --filter @siyu/runtime db:migration <name>`,
// which writes schema.postgres.prisma and both providers' migrations.
describe('migrations and schema.prisma', () => {
  it('SQLite: replaying every committed migration gives exactly the schema', async () => {
    expect(await schemaDriftSql('sqlite')).toBe('');
  }, 60_000);

  it('schema.postgres.prisma is schema.prisma with the PostgreSQL provider (not edited by hand, not stale)', () => {
    expect(readFileSync(POSTGRES_SCHEMA_PATH, 'utf8')).toBe(postgresSchemaText(readFileSync(SCHEMA_PATH, 'utf8')));
  });

  it('PostgreSQL: replaying every committed migration gives exactly the schema', async () => {
    expect(await schemaDriftSql('postgresql', { postgresServerUrl: await postgresServerUrl() })).toBe('');
  }, 60_000);
});
