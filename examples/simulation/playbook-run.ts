import type { PlaybookBackend } from './playbook.ts';

/**
 * Which database a playbook file runs on, and at what size. `<folder>.test.ts` runs the full plan on
 * SQLite; `<folder>.postgresql.test.ts` imports `./on-postgresql.ts` first, then the same test file,
 * so the same plan and checks run on PostgreSQL with an eighth of the customers: a playbook is a
 * long chain of single events, each a few round trips there (a few times SQLite's time per event),
 * and the suite's budget is shared. Every expectation is worked out from the plan, so it holds at
 * any size; counts that a check states outright scale with `scaled`.
 */
export interface PlaybookRun {
  backend: PlaybookBackend;
  /** Share of the full plan's customers. */
  scale: number;
}

const run: PlaybookRun = { backend: 'sqlite', scale: 1 };

/** The run the test file is part of (read at module level, before its describe blocks). */
export function playbookRun(): Readonly<PlaybookRun> {
  return run;
}

/** `full` customers at this run's scale (at least 1). */
export function scaled(full: number): number {
  return Math.max(1, Math.round(full * run.scale));
}

/** Called by on-postgresql.ts before the test file is imported. */
export function runOn(backend: PlaybookBackend, scale: number): void {
  run.backend = backend;
  run.scale = scale;
}
