// `@siyu/runtime/testing/postgres`: PostgreSQL for tests outside this package (the scale-out crash
// test): the run's server (vitest's global setup finds or starts one), scratch databases, and the
// database as the product opens it. Vitest only (it reads the global setup's value).
export { openPostgresDatabase } from '../src/db/postgres-database.ts';
export { postgresServerUrl } from '../src/db/postgres-for-tests.test-helper.ts';
export { createScratchDatabase } from '../src/db/postgres-scratch.ts';
export { migratedTemplate } from '../src/db/postgres-template.ts';
