// One bench worker PROCESS: the engine's store-agnostic core (testing/store-engine.ts) over the
// SQLite file or the PostgreSQL database named on its command line, driven phase by phase by the
// parent over IPC (protocol.ts). Several of these on one PostgreSQL database are several workers as
// deployed: each has its own pool and its own stepper, and they share the work only through the
// store's claims (timers FOR UPDATE SKIP LOCKED, effects leased).
// Usage (by worker-process.ts): worker.ts --backend sqlite|postgres --target <file|url> --worker-id w1
import { parseArgs } from 'node:util';
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { ManualClock } from '../../src/engine/api.ts';
import { recordingExecutors, type StoreEngine, storeEngine } from '../../testing/store-engine.ts';
import { WorkerCommand, type WorkerReply, type WorkerReport, wallNow } from './protocol.ts';

/** The simulated start of the run; every worker's clock starts here and moves only when told. */
const BENCH_EPOCH = Date.UTC(2026, 0, 5, 2);
const BATCH = 1000;

const { values } = parseArgs({
  options: { backend: { type: 'string' }, target: { type: 'string' }, 'worker-id': { type: 'string' } },
});
const workerId = values['worker-id'] ?? `w${process.pid}`;
if (!process.send) throw new Error('bench worker: start me with an IPC channel (worker-process.ts)');

const calls: string[] = [];
const thanksAt: Record<string, number> = {};
const executors = recordingExecutors(calls, {
  onCall: (key) => {
    if (key.includes(':thanks:')) thanksAt[key] = wallNow();
  },
});
const clock = new ManualClock(BENCH_EPOCH);
const registry = createNodeRegistry([samplePackage]);

async function open(): Promise<{ engine: StoreEngine; rowsWritten: () => number; close: () => Promise<void> }> {
  // Each backend's modules are loaded only when used: a PostgreSQL worker starts without Prisma's.
  if (values.backend === 'postgres' && values.target) {
    const { postgresPool } = await import('../../testing/postgres-fixtures.ts');
    const { createPostgresStore } = await import('../../src/engine/store/postgres/postgres-store.ts');
    const pool = postgresPool(values.target);
    const store = createPostgresStore(pool, { workerId });
    return {
      engine: storeEngine(store, registry, executors, clock),
      rowsWritten: () => store.rowsWritten,
      close: () => pool.end(),
    };
  }
  if (values.backend === 'sqlite' && values.target) {
    const { openDatabase } = await import('../../src/db/database.ts');
    const { sqliteEngineStore } = await import('../../testing/store-backends.ts');
    const db = await openDatabase(values.target);
    const total = db.sqlite.prepare<[], { n: number }>('SELECT total_changes() AS n');
    const changes0 = total.get()?.n ?? 0;
    return {
      engine: storeEngine(sqliteEngineStore(db.sqlite), registry, executors, clock),
      rowsWritten: () => (total.get()?.n ?? 0) - changes0,
      close: () => db.close(),
    };
  }
  throw new Error(`bench worker: --backend sqlite|postgres and --target are required (got ${values.backend})`);
}

const order = (customerId: string) => ({
  id: `o-${customerId}`,
  type: 'order.placed',
  customerId,
  occurredAt: new Date(clock.now()),
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The paced stream: waits (without spinning: other processes share the cores) for each arrival. */
async function paced(engine: StoreEngine, cmd: Extract<WorkerCommand, { kind: 'paced' }>): Promise<void> {
  const arrival = (k: number) => cmd.startAt + ((cmd.indexes[k] as number) * 1000) / cmd.rate;
  let next = 0;
  while (next < cmd.ids.length) {
    const now = wallNow();
    let due = next;
    while (due < cmd.ids.length && arrival(due) <= now) due++;
    if (due === next) {
      await sleep(Math.max(0, Math.floor(arrival(next) - now)));
      continue;
    }
    await engine.ingestMany(cmd.ids.slice(next, due).map(order));
    next = due;
    await engine.drain();
  }
  await engine.drain();
}

async function run(engine: StoreEngine, cmd: WorkerCommand): Promise<void> {
  switch (cmd.kind) {
    case 'enrol':
      for (let i = 0; i < cmd.ids.length; i += BATCH) {
        await engine.enrollMany(cmd.journeyId, cmd.ids.slice(i, i + BATCH));
        await engine.drain();
      }
      return;
    case 'advance':
      clock.advance(cmd.ms);
      await engine.drain();
      return;
    case 'orders':
      for (let i = 0; i < cmd.ids.length; i += BATCH) {
        await engine.ingestMany(cmd.ids.slice(i, i + BATCH).map(order));
        await engine.drain();
      }
      return;
    case 'paced':
      return paced(engine, cmd);
    case 'drain':
      await engine.drain();
      return;
    default:
      throw new Error(`bench worker: ${cmd.kind} is not a phase`);
  }
}

const opened = await open();
// From here on: tsx compiling this process's modules at start-up is not the engine's work.
const cpu0 = process.cpuUsage();
const reply = (message: WorkerReply) => process.send?.(message);
// One command at a time, in order: the parent waits for each answer, but a queue keeps it so.
let queue = Promise.resolve();
process.on('message', (raw) => {
  queue = queue.then(async () => {
    try {
      const cmd = WorkerCommand.parse(raw);
      if (cmd.kind === 'report') {
        const cpu = process.cpuUsage(cpu0);
        const report: WorkerReport = {
          workerId,
          steps: opened.engine.steps,
          calls,
          thanksAt,
          cpuMs: (cpu.user + cpu.system) / 1000,
          rowsWritten: opened.rowsWritten(),
        };
        reply({ kind: 'report', report });
      } else if (cmd.kind === 'close') {
        closing = true;
        await opened.close();
        reply({ kind: 'closed' });
        process.disconnect();
      } else {
        await run(opened.engine, cmd);
        reply({ kind: 'done', steps: opened.engine.steps });
      }
    } catch (error) {
      reply({ kind: 'error', message: `worker ${workerId}: ${(error as Error).stack ?? String(error)}` });
    }
  });
});
// A parent that dies (Ctrl-C, a failed test) closes the channel: no orphan keeps stepping.
let closing = false;
process.on('disconnect', () => {
  if (!closing) process.exit(1);
});
reply({ kind: 'ready' });
