// graphile-worker as it is meant to be run: jobs added with `addJobs` (one statement per chunk),
// consumed by `run()` runners (one per consumer, each with its own pool) whose local queue locks
// and pulls `batchSize` jobs per fetch and completes finished jobs in batches. A claim is one
// fetch of the local queue: its `get_job…` statement, timed on the pool's connections.
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import pg from 'pg';
import { chunks, type QueueContender, type QueueRun, type QueueRunResult } from './measure.ts';

const SCHEMA = 'graphile_worker';
const TASK = 'effect';

/** Errors only: a runner's info lines would bury the bench's table. */
const quiet = new Logger(() => (level, message) => {
  if (level === 'error') process.stderr.write(`graphile-worker: ${message}\n`);
});

/** A pool whose connections time each `get_job…` statement (the local queue's batch fetch) into `claimMs`. */
function timedPool(url: string, claimMs: number[]): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', (error) => process.stderr.write(`graphile-worker pool: ${error.message}\n`));
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const config = args[0] as { name?: string } | string;
      if (typeof config !== 'object' || !config.name?.startsWith('get_job')) return query(...args);
      const start = performance.now();
      const answer = query(...args) as Promise<{ rows: unknown[] }>;
      return answer.then((result) => {
        if (result.rows.length > 0) claimMs.push(performance.now() - start);
        return result;
      });
    };
  });
  return pool;
}

async function runGraphile(url: string, job: QueueRun, seeded: () => Promise<void>): Promise<QueueRunResult> {
  const result: QueueRunResult = {
    wallMs: 0,
    claimMs: [],
    claimedIds: [],
    jobsByConsumer: Array(job.consumers).fill(0),
    seedMs: 0,
  };
  const utils = await makeWorkerUtils({ connectionString: url, schema: SCHEMA, logger: quiet });
  try {
    await utils.migrate();
    const seedStart = performance.now();
    for (const specs of chunks(job.jobs, 5000, (i) => ({ identifier: TASK, payload: { instanceId: i + 1 } }))) {
      await utils.addJobs(specs);
    }
    result.seedMs = performance.now() - seedStart;
  } finally {
    await utils.release();
  }
  const analyze = new pg.Client({ connectionString: url });
  analyze.on('error', () => {});
  await analyze.connect();
  await analyze.query(`VACUUM ANALYZE ${SCHEMA}._private_jobs`);
  await analyze.end();
  await seeded();

  let completed = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  const pools = Array.from({ length: job.consumers }, () => timedPool(url, result.claimMs));
  const start = performance.now();
  const runners = await Promise.all(
    pools.map(async (pgPool, consumer) => {
      const runner = await run({
        pgPool,
        schema: SCHEMA,
        logger: quiet,
        noHandleSignals: true,
        concurrency: job.batchSize,
        pollInterval: 1000,
        taskList: { [TASK]: async () => {} },
        preset: { worker: { localQueue: { size: job.batchSize }, completeJobBatchDelay: 0 } },
      });
      runner.events.on('job:complete', ({ job: finished, error }) => {
        if (error) return;
        result.claimedIds.push(finished.id);
        result.jobsByConsumer[consumer] = (result.jobsByConsumer[consumer] ?? 0) + 1;
        if (++completed === job.jobs) allDone();
      });
      return runner;
    }),
  );
  try {
    await done;
    result.wallMs = performance.now() - start;
  } finally {
    await Promise.all(runners.map((r) => r.stop()));
    await Promise.all(pools.map((p) => p.end()));
  }
  return result;
}

export const graphileWorker: QueueContender = {
  name: 'graphile-worker',
  how: 'run() with localQueue.size = batch, concurrency = batch, completeJobBatchDelay 0',
  run: runGraphile,
};
