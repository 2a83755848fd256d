import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, applyProviderMigrations } from './migrate.ts';
import { type DatabaseProvider, PRISMA_DIR, PROVIDER_FILES } from './migrations.ts';
import { createScratchDatabase } from './postgres-scratch.ts';
import { NO_FILTERS, openSchemaEngine, type SchemaEngineTarget } from './schema-engine.ts';

/** Where the PostgreSQL drift check replays migrations: a server URL (a scratch database is made there). */
export interface DriftOptions {
  postgresServerUrl?: string;
}

/**
 * The SQL that would take a database built by the provider's committed migrations to its schema
 * file, or '' when they agree. `db:migration` writes it as a new migration; a test asserts it is
 * empty for both providers, so a schema edit without its migrations (or two branches' migrations
 * merged wrongly) fails CI. PostgreSQL needs a server (`postgresServerUrl`).
 */
export async function schemaDriftSql(
  provider: DatabaseProvider = 'sqlite',
  options: DriftOptions = {},
): Promise<string> {
  return provider === 'sqlite' ? sqliteDrift() : postgresDrift(options);
}

async function sqliteDrift(): Promise<string> {
  const scratch = mkdtempSync(join(tmpdir(), 'siyu-migration-'));
  try {
    // Replay the committed migrations on a scratch database, then diff that database against the
    // schema. (Diffing from the migrations folder directly needs a shadow database, which the
    // SQLite driver adapter cannot provide: P3006.)
    const url = `file:${join(scratch, 'replayed.db')}`;
    await applyMigrations(url);
    return await diffDatabaseAgainstSchema({ provider: 'sqlite', url });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function postgresDrift({ postgresServerUrl }: DriftOptions): Promise<string> {
  if (!postgresServerUrl) throw new Error('the PostgreSQL drift check needs a server: pass postgresServerUrl');
  // Same replay-then-diff as SQLite (the pg adapter could make a shadow database, but replaying
  // also proves the migrations apply).
  const scratch = await createScratchDatabase(postgresServerUrl, 'drift');
  try {
    const target: SchemaEngineTarget = { provider: 'postgresql', url: scratch.url };
    await applyProviderMigrations(target);
    return await diffDatabaseAgainstSchema(target);
  } finally {
    await scratch.drop();
  }
}

async function diffDatabaseAgainstSchema(target: SchemaEngineTarget): Promise<string> {
  const schemaPath = PROVIDER_FILES[target.provider].schemaPath;
  const schemaText = readFileSync(schemaPath, 'utf8');
  const { engine, close } = await openSchemaEngine(target, schemaPath, schemaText);
  try {
    const result = await engine.diff({
      from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: schemaText }], configDir: PRISMA_DIR },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schemaText }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    const sql = (result.stdout ?? '').trim();
    return /^-- This is an empty migration/.test(sql) ? '' : sql;
  } finally {
    await close();
  }
}
