import { readFileSync } from 'node:fs';
import { MIGRATIONS_DIR, readMigrationList, SCHEMA_PATH } from './migrations.ts';
import { NO_FILTERS, openSchemaEngine } from './schema-engine.ts';

/**
 * Applies pending migrations from prisma/migrations to the database, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would. Idempotent: applied migrations
 * are skipped. Returns the names applied by this call.
 */
export async function applyMigrations(databaseUrl: string, migrationsDir: string = MIGRATIONS_DIR): Promise<string[]> {
  const { engine, logs, close } = await openSchemaEngine(databaseUrl, SCHEMA_PATH, readFileSync(SCHEMA_PATH, 'utf8'));
  try {
    const output = await engine.applyMigrations({
      migrationsList: readMigrationList(migrationsDir),
      filters: NO_FILTERS,
    });
    return output.appliedMigrationNames;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`applying database migrations failed: ${detail}${logs.length ? `\n${logs.join('\n')}` : ''}`);
  } finally {
    await close();
  }
}
