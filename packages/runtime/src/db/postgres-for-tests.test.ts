import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationNames, POSTGRES_MIGRATIONS_DIR } from './migrations.ts';
import { postgresDatabaseForFile, postgresServerUrl } from './postgres-for-tests.test-helper.ts';
import { SCRATCH_PREFIX, withDatabase } from './postgres-scratch.ts';
import { migratedTemplate, migrationsFingerprint, TEMPLATE_PREFIX } from './postgres-template.ts';

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

describe('migratedTemplate', () => {
  it('is named by the migrations, so a changed migration gets a new template', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'siyu-migrations-'));
    cpSync(POSTGRES_MIGRATIONS_DIR, dir, { recursive: true });
    expect(migrationsFingerprint(dir)).toBe(migrationsFingerprint());
    const [last] = migrationNames(dir).slice(-1);
    appendFileSync(join(dir, last as string, 'migration.sql'), '\n-- changed\n');
    expect(migrationsFingerprint(dir)).not.toBe(migrationsFingerprint());
    rmSync(dir, { recursive: true });
  });

  it('is built once per server: asked for together, one name, and it holds every migration', async () => {
    const server = await postgresServerUrl();
    const names = await Promise.all([migratedTemplate(server), migratedTemplate(server)]);
    expect(names[0]).toBe(`${TEMPLATE_PREFIX}${migrationsFingerprint()}`);
    expect(names[1]).toBe(names[0]);
    const client = new pg.Client({ connectionString: withDatabase(server, names[0] as string) });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      );
      expect(Number(rows[0]?.n)).toBe(migrationNames(POSTGRES_MIGRATIONS_DIR).length);
    } finally {
      await client.end();
    }
  });
});
