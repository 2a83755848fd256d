import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from './migrate.ts';
import { PRISMA_DIR, SCHEMA_PATH } from './migrations.ts';
import { NO_FILTERS, openSchemaEngine } from './schema-engine.ts';

/**
 * The SQL that would take a database built by the committed migrations to `schema.prisma`, or ''
 * when they agree. `db:migration` writes it as a new migration; a test asserts it is empty, so a
 * schema edit without its migration (or two branches' migrations merged wrongly) fails CI.
 */
export async function schemaDriftSql(schemaPath = SCHEMA_PATH): Promise<string> {
  const schemaText = readFileSync(schemaPath, 'utf8');
  const scratch = mkdtempSync(join(tmpdir(), 'siyu-migration-'));
  try {
    // Replay the committed migrations on a scratch database, then diff that database against the
    // schema. (Diffing from the migrations folder directly needs a shadow database, which the
    // SQLite driver adapter cannot provide: P3006.)
    const scratchUrl = `file:${join(scratch, 'replayed.db')}`;
    await applyMigrations(scratchUrl);
    const { engine, close } = await openSchemaEngine(scratchUrl, schemaPath, schemaText);
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
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
