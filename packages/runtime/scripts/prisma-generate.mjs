// Generates the Prisma client at install time, offline.
// Why: the Prisma CLI tries to download its native schema engine on every command, which fails here
// (no network but the npm registry). `prisma generate` never uses that engine, so pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file lets generate run without a download.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const runtimeDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_GENERATE_SKIP_AUTOINSTALL: '1',
};
// One client per provider: Prisma 7 compiles queries with a provider-specific query compiler, so
// the SQLite client cannot drive PostgreSQL (see src/db/README.md). schema.postgres.prisma is
// derived from schema.prisma (src/db/postgres-schema.ts) and committed.
for (const schema of ['prisma/schema.prisma', 'prisma/schema.postgres.prisma']) {
  const result = spawnSync('pnpm', ['exec', 'prisma', 'generate', '--schema', schema], {
    cwd: runtimeDir,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`prisma generate failed for ${schema}: a generated client in packages/runtime/src/generated is missing.`);
    process.exit(result.status ?? 1);
  }
}
