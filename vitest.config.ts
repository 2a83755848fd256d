import { defineConfig } from 'vitest/config';

const ALL_TESTS = [
  'packages/**/src/**/*.test.{ts,tsx}',
  // The bench's own checks (a tiny run of a section), next to the bench code.
  'packages/runtime/bench/**/*.test.ts',
  'packages/*/scripts/**/*.test.ts',
  'examples/**/*.test.ts',
  'test/**/*.test.ts',
];

/**
 * Files that time, kill or race what they run — frame times and zoom in the canvas, product servers
 * and workers killed mid-send, 100,000 rows against a time limit — run one at a time, after
 * everything else, so nothing else shares the machine with them. (The playbooks move their own
 * clock and time nothing: they run two at a time with the rest; on PostgreSQL they mostly wait on
 * round trips, which a second file beside them uses.)
 */
const ONE_AT_A_TIME = [
  'test/editor/canvas.test.ts',
  'test/editor/editor.test.ts',
  'test/runtime-crash.test.ts',
  'test/runtime-crash-sms.test.ts',
  'test/scale-out-crash.test.ts',
  'packages/runtime/src/main.test.ts',
  'packages/runtime/src/main-shutdown.test.ts',
  'packages/runtime/src/node-packages/effect-crash.test.ts',
  'packages/runtime/src/assembly/engine-lock.test.ts',
  'packages/runtime/src/db/migrate-postgres.test.ts',
  'packages/runtime/src/cli/backup.test.ts',
  'packages/runtime/src/import/import-customers.test.ts',
];

/**
 * The playbooks keep which database and size they run at in module state (examples/simulation/
 * playbook-run.ts), and a `.postgresql.test.ts` file imports its SQLite twin: each needs modules of
 * its own, so they run isolated (every other in-process file shares its worker's modules, see below).
 */
const PLAYBOOKS = ['examples/**/*.test.ts'];

/**
 * The browser tests: each starts the product and a Chromium and mostly waits on them (polls with
 * generous timeouts), so two run at once, after the in-process files.
 */
const BROWSER = ['test/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for the UI or the engine; 1 s (vitest's default) is too short on a loaded
    // 2-core CI machine, where one server-side test run alone can take a second.
    expect: { poll: { timeout: 5_000 } },
    // One PostgreSQL server per run (env, 127.0.0.1:5432, or embedded) for the PostgreSQL tests.
    globalSetup: ['packages/runtime/src/db/postgres-tests.global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // The suite is the sum of its files when they run one at a time (vitest's default on 2 cores is
    // one worker). Most files wait on a database as much as they compute, so two run at once; the
    // whole-program files then run alone.
    projects: [
      {
        extends: true,
        test: {
          name: 'units',
          include: ALL_TESTS,
          exclude: ['**/node_modules/**', '**/dist/**', ...BROWSER, ...ONE_AT_A_TIME, ...PLAYBOOKS],
          maxWorkers: 2,
          // These files share a worker's modules instead of importing the runtime afresh each (that
          // import was ~250 s of the group's ~1,000 s summed). They mock nothing and set no globals;
          // each opens its own database, server and engine.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'playbooks',
          include: PLAYBOOKS,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER,
          exclude: ['**/node_modules/**', '**/dist/**', ...ONE_AT_A_TIME],
          maxWorkers: 2,
          // Like the units, the files share a worker's modules: each imported the runtime afresh
          // (~48 s of the group's ~225 s, measured). They mock nothing and set no globals; each
          // starts its own server and browser.
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: { name: 'programs', include: ONE_AT_A_TIME, maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
    ],
  },
});
