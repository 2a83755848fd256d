// Vitest global setup (vitest.config.ts): finds one PostgreSQL server for the whole run, so an
// embedded server, when needed, starts once and not per test file. Tests get it through
// postgres-for-tests.test-helper.ts. A failure to find one does not fail SQLite-only runs: it is
// handed to the PostgreSQL tests, which fail with it (never a silent skip).
import type { TestProject } from 'vitest/node';
import { findPostgresServer, redactPassword } from './postgres-server.ts';

export interface PostgresForTests {
  url?: string;
  source?: string;
  error?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresForTests: PostgresForTests;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const server = await findPostgresServer();
    if (server.source === 'embedded') {
      process.stdout.write(`PostgreSQL for tests: embedded (${redactPassword(server.url)})\n`);
    }
    project.provide('postgresForTests', { url: server.url, source: server.source });
    return () => server.stop();
  } catch (error) {
    project.provide('postgresForTests', { error: (error as Error).message });
    return async () => {};
  }
}
