import { MIGRATIONS_DIR, PROVIDER_FILES, readMigrationList } from './migrations.ts';
import { NO_FILTERS, openSchemaEngine, type SchemaEngineTarget } from './schema-engine.ts';

/**
 * Applies pending migrations from prisma/migrations to the SQLite database, recording them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` would. Idempotent: applied migrations
 * are skipped. Returns the names applied by this call.
 */
export async function applyMigrations(databaseUrl: string, migrationsDir: string = MIGRATIONS_DIR): Promise<string[]> {
  return applyProviderMigrations({ provider: 'sqlite', url: databaseUrl }, migrationsDir);
}

/**
 * Applies the provider's pending migrations (prisma/migrations or prisma/migrations-postgres).
 * On PostgreSQL call it through migratePostgres (migrate-postgres.ts), which serialises processes.
 */
export async function applyProviderMigrations(
  target: SchemaEngineTarget,
  migrationsDir: string = PROVIDER_FILES[target.provider].migrationsDir,
): Promise<string[]> {
  const { engine, logs, close } = await openSchemaEngine(target);
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
