// pg-boss with its batch API: jobs put in with `insert` (one statement per chunk), each consumer a
// PgBoss instance of its own (its own pool, as a worker process) looping `fetch({ batchSize })` →
// `complete(ids)`. A claim is one `fetch` call. Maintenance, scheduling and the instance registry
// are off in the consumers: they run timers of their own that would only add noise here.
import { PgBoss } from 'pg-boss';
import { chunks, type QueueContender, type QueueRun, type QueueRunResult, timed } from './measure.ts';

const SCHEMA = 'pgboss';
let runs = 0;

function boss(url: string, first: boolean): PgBoss {
  const instance = new PgBoss({
    connectionString: url,
    schema: SCHEMA,
    max: 2,
    migrate: first,
    createSchema: first,
    supervise: false,
    schedule: false,
    registerInstance: false,
  });
  instance.on('error', (error) => process.stderr.write(`pg-boss: ${(error as Error).message}\n`));
  return instance;
}

async function runPgBoss(url: string, job: QueueRun, seeded: () => Promise<void>): Promise<QueueRunResult> {
  const result: QueueRunResult = {
    wallMs: 0,
    claimMs: [],
    claimedIds: [],
    jobsByConsumer: Array(job.consumers).fill(0),
    seedMs: 0,
  };
  // A queue per run: completed jobs of the last run stay in their queue (pg-boss keeps them for
  // its retention period) and do not sit in front of this run's.
  const queue = `effects_${++runs}_${Date.now()}`;
  const admin = boss(url, true);
  await admin.start();
  try {
    await admin.createQueue(queue);
    const seedStart = performance.now();
    for (const jobs of chunks(job.jobs, 5000, (i) => ({ data: { instanceId: i + 1 } }))) {
      await admin.insert(queue, jobs);
    }
    result.seedMs = performance.now() - seedStart;
  } finally {
    await admin.stop({ graceful: false });
  }
  await seeded();
  const consumers = Array.from({ length: job.consumers }, () => boss(url, false));
  await Promise.all(consumers.map((c) => c.start()));
  try {
    const start = performance.now();
    await Promise.all(
      consumers.map(async (consumer, index) => {
        for (;;) {
          const claimMs: number[] = [];
          const jobs = await timed(claimMs, () => consumer.fetch(queue, { batchSize: job.batchSize }));
          if (jobs.length === 0) return;
          result.claimMs.push(...claimMs);
          const ids = jobs.map((j) => j.id);
          result.claimedIds.push(...ids);
          await consumer.complete(queue, ids);
          result.jobsByConsumer[index] = (result.jobsByConsumer[index] ?? 0) + ids.length;
        }
      }),
    );
    result.wallMs = performance.now() - start;
  } finally {
    await Promise.all(consumers.map((c) => c.stop({ graceful: false })));
  }
  return result;
}

export const pgBoss: QueueContender = {
  name: 'pg-boss',
  how: 'fetch({ batchSize }) → complete(ids), one PgBoss per consumer',
  run: runPgBoss,
};
