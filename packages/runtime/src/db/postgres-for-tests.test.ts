import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationNames, POSTGRES_MIGRATIONS_DIR } from './migrations.ts';
import { postgresDatabaseForFile } from './postgres-for-tests.test-helper.ts';
import { SCRATCH_PREFIX } from './postgres-scratch.ts';

const databaseUrl = postgresDatabaseForFile('helper');

describe('postgresDatabaseForFile', () => {
  it('gives the file its own database, named as a scratch one and migrated', async () => {
    const client = new pg.Client({ connectionString: databaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; migrations: string }>(
        'SELECT current_database() AS db, (SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL) AS migrations',
      );
      expect(rows[0]?.db.startsWith(`${SCRATCH_PREFIX}helper_`)).toBe(true);
      expect(Number(rows[0]?.migrations)).toBe(migrationNames(POSTGRES_MIGRATIONS_DIR).length);
    } finally {
      await client.end();
    }
  });
});
