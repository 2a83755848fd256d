// Applies pending PostgreSQL migrations to DATABASE_URL (or the URL given) and prints what it did
// as JSON: a release step for deployments that migrate before starting, and what the concurrent
// start-up test runs as separate processes. Safe beside starting servers (advisory lock).
// Usage: tsx scripts/migrate-postgres.ts [postgresql://…]
import { migratePostgres } from '../src/db/migrate-postgres.ts';
import { redactPassword } from '../src/db/postgres-server.ts';

const url = process.argv[2] ?? process.env.DATABASE_URL;
if (!url) {
  console.error('usage: migrate-postgres.ts <postgresql://…>   (or set DATABASE_URL)');
  process.exit(2);
}
try {
  const result = await migratePostgres(url);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  console.error(`migrating ${redactPassword(url)} failed: ${(error as Error).message}`);
  process.exit(1);
}
