import { readFileSync, writeFileSync } from 'node:fs';
import { POSTGRES_SCHEMA_PATH, SCHEMA_PATH } from './migrations.ts';

/**
 * schema.prisma is the one data model; schema.postgres.prisma is derived from it, never edited by
 * hand. Only two lines differ: the datasource provider, and the generated client's folder (Prisma 7
 * compiles queries per provider, so each provider has its own client; see src/db/README.md).
 *
 * No type mapping is needed because the model avoids what does not travel: no `Bytes`, no
 * `dbgenerated()` or other raw defaults, no SQLite-only attributes; JSON is `String`, epoch
 * milliseconds are `BigInt` (BIGINT on PostgreSQL), DateTime becomes `timestamp(3)`.
 */
const HEADER = [
  '// GENERATED from schema.prisma by src/db/postgres-schema.ts (run `pnpm --filter @siyu/runtime db:migration`',
  '// or the drift test tells you when it is stale). Do not edit: change schema.prisma instead.',
  '',
].join('\n');

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`)) ?? [];
  if (matches.length !== 1) throw new Error(`schema.prisma: expected exactly one ${what}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

/** The PostgreSQL variant of a SQLite schema text. */
export function postgresSchemaText(sqliteSchema: string): string {
  const rules: Array<[RegExp, string, string]> = [
    [/provider\s*=\s*"sqlite"/, 'provider = "postgresql"', 'datasource provider "sqlite"'],
    [
      /output(\s*)=(\s*)"\.\.\/src\/generated\/prisma"/,
      'output$1=$2"../src/generated/prisma-postgres"',
      'client output',
    ],
  ];
  const unportable = /\bBytes\b|dbgenerated\(|@db\.|Unsupported\(/.exec(sqliteSchema);
  if (unportable) {
    throw new Error(
      `schema.prisma uses ${unportable[0]}, which postgres-schema.ts does not map to PostgreSQL; add a rule there`,
    );
  }
  let text = sqliteSchema;
  for (const [pattern, replacement, what] of rules) text = replaceOnce(text, pattern, replacement, what);
  return HEADER + text;
}

/** Rewrites schema.postgres.prisma from schema.prisma; returns whether the file changed. */
export function writePostgresSchema(): boolean {
  const next = postgresSchemaText(readFileSync(SCHEMA_PATH, 'utf8'));
  let current = '';
  try {
    current = readFileSync(POSTGRES_SCHEMA_PATH, 'utf8');
  } catch {}
  if (current === next) return false;
  writeFileSync(POSTGRES_SCHEMA_PATH, next);
  return true;
}
