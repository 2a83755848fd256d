import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/**/src/**/*.test.{ts,tsx}',
      // The bench's own checks (a tiny run of a section), next to the bench code.
      'packages/runtime/bench/**/*.test.ts',
      'packages/*/scripts/**/*.test.ts',
      'examples/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for the UI or the engine; 1 s (vitest's default) is too short on a loaded
    // 2-core CI machine, where one server-side test run alone can take a second.
    expect: { poll: { timeout: 5_000 } },
    // One PostgreSQL server per run (env, 127.0.0.1:5432, or embedded) for the PostgreSQL tests.
    globalSetup: ['packages/runtime/src/db/postgres-tests.global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
