// Both ends of the crash tests (test/runtime-crash*.test.ts, nodes/effect-crash.test.ts): the
// parent starts a child process that runs the engine on a SQLite file and SIGKILLs it at will; the
// child seeds what is missing, enrolls, says "ready", and in "finish" mode stops by itself once
// nothing is left to do.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Database } from '../db/database.ts';
import type { JourneyEngine } from './api.ts';

export interface CrashChild {
  proc: ChildProcess;
  /** Resolves when the child has printed "ready" (seeded and running). */
  ready: Promise<void>;
  /** The exit code, null when a signal ended it; a failing child's stderr is printed. */
  exited: Promise<number | null>;
}

/** Runs `script` (TypeScript, through tsx) with `args`; `env` adds to this process's environment. */
export function spawnCrashChild(script: string, args: readonly string[], env?: NodeJS.ProcessEnv): CrashChild {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    // tsx is a dependency of the runtime package; resolve `--import tsx` from there.
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    env: env ? { ...process.env, ...env } : undefined,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const ready = new Promise<void>((resolve) => {
    proc.stdout?.on('data', (d) => {
      if (String(d).includes('ready')) resolve();
    });
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  return { proc, ready, exited };
}

/** How many customers are still to move: active and not parked as "outcome unknown" (those wait for an operator). */
export function customersStillMoving(sqlite: Database['sqlite']): () => number {
  const moving = sqlite.prepare<[], { n: number }>(
    `SELECT count(*) n FROM Instance i WHERE i.status = 'active'
       AND NOT EXISTS (SELECT 1 FROM OutboxEffect e WHERE e.instanceId = i.id AND e.status = 'unknown')`,
  );
  return () => moving.get()?.n ?? 0;
}

/**
 * The child's life once its engine runs: prints "ready" (the parent may SIGKILL it from now on),
 * then every `everyMs` calls `each` and, in "finish" mode, stops once `settled()` holds: the engine
 * stops, the database closes and it prints "finished".
 */
export async function runUntilKilledOrSettled(options: {
  engine: Pick<JourneyEngine, 'stop'>;
  db: Pick<Database, 'close'>;
  mode: string | undefined;
  settled: () => boolean;
  each?: () => void;
  everyMs: number;
}): Promise<void> {
  process.stdout.write('ready\n');
  for (;;) {
    options.each?.();
    if (options.mode === 'finish' && options.settled()) break;
    await new Promise((r) => setTimeout(r, options.everyMs));
  }
  await options.engine.stop();
  await options.db.close();
  process.stdout.write('finished\n');
}

/** Runs a child's `main`; an error is printed and the child exits 1 (the parent sees the code). */
export function runCrashChild(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
