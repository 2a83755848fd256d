// Our own claims, with the engine's statements (engine/store/postgres/sql.ts), on the engine's tables:
//   timers: BEGIN (with the journeys, as every batch) → CLAIM_DUE_TIMERS (FOR UPDATE OF t, i SKIP
//           LOCKED, with the instances' rows) → DELETE_FIRED_TIMERS → COMMIT; the locks are the claim.
//   effects: BEGIN → CLAIM_DUE_EFFECTS (lease, SKIP LOCKED) → MARK_EFFECTS_STARTED → COMMIT, then
//           BEGIN → EFFECT_OUTCOMES (finish) → COMMIT: the dispatcher's two transactions.
// The engine's step computation between claim and write is left out: what is measured is the queue.
import pg from 'pg';
import { RAW_POOL_TYPES } from '../../src/db/postgres-types.ts';
import {
  BEGIN_AND_JOURNEYS,
  CLAIM_DUE_EFFECTS,
  CLAIM_DUE_TIMERS,
  DELETE_FIRED_TIMERS,
  EFFECT_OUTCOMES,
  MARK_EFFECTS_STARTED,
} from '../../src/engine/store/postgres/sql.ts';
import type { QueueContender, QueueRun, QueueRunResult } from './measure.ts';

/** A persisted XState snapshot of the benchmark journey's wait is about this long. */
const SNAPSHOT = JSON.stringify({ status: 'active', value: 'wait', context: { pad: 'x'.repeat(700) } });
const LEASE_MS = 300_000;

/** Empties the engine's tables and seeds `jobs` instances, each with one due timer and one pending effect. */
async function seed(pool: pg.Pool, jobs: number): Promise<number> {
  const start = performance.now();
  // Due times below are spread by the instance's place (id minus the first id: ids restart at the
  // sequence's start, 100,000,000), and must all lie in the past.
  await pool.query(
    `TRUNCATE "Timer", "OutboxEffect", "Instance", "Customer", "JourneyVersion", "Journey" RESTART IDENTITY CASCADE`,
  );
  const now = new Date();
  await pool.query(
    `INSERT INTO "Journey" (id, name, status, draft, "createdAt", "updatedAt") VALUES ('jq', 'queue bench', 'live', '{}', $1, $1)`,
    [now],
  );
  await pool.query(
    `INSERT INTO "JourneyVersion" (id, "journeyId", version, graph, "publishedAt") VALUES ('vq', 'jq', 1, '{}', $1)`,
    [now],
  );
  await pool.query(
    `INSERT INTO "Customer" (id, attributes, "createdAt", "updatedAt") SELECT 'c' || g, '{}', $2, $2
     FROM generate_series(1, $1::int) g`,
    [jobs, now],
  );
  await pool.query(
    `INSERT INTO "Instance" ("journeyId", "versionId", "customerId", status, holdout, snapshot, "nodeId", "waitingFor",
       "enteredAt", "updatedAt")
     SELECT 'jq', 'vq', 'c' || g, 'active', false, $2, 'wait', NULL, $3, $3 FROM generate_series(1, $1::int) g`,
    [jobs, SNAPSHOT, now],
  );
  const due = now.getTime() - 60_000 - jobs; // the last due a minute ago
  await pool.query(
    `INSERT INTO "Timer" ("instanceId", "dueAt", key, "createdAt")
     SELECT id, $1::bigint + id - (SELECT min(id) FROM "Instance"), 'wait:1', $2 FROM "Instance"`,
    [due, now],
  );
  await pool.query(
    `INSERT INTO "OutboxEffect" ("instanceId", "nodeId", "nodeType", "idempotencyKey", payload, status, attempts,
       "nextAttemptAt", "createdAt")
     SELECT id, 'welcome', 'message', id || ':welcome:1', '{"template":"welcome"}', 'pending', 0, $1::bigint + id - (SELECT min(id) FROM "Instance"), $2
     FROM "Instance"`,
    [due, now],
  );
  return performance.now() - start;
}

type Consume = (client: pg.PoolClient, run: QueueRun, consumer: number, into: QueueRunResult) => Promise<void>;

const consumeTimers: Consume = async (client, run, consumer, into) => {
  for (;;) {
    await client.query(BEGIN_AND_JOURNEYS);
    const start = performance.now();
    const { rows } = await client.query<{ timerId: number }>(CLAIM_DUE_TIMERS, [Date.now(), run.batchSize]);
    if (rows.length === 0) {
      await client.query('COMMIT');
      return;
    }
    into.claimMs.push(performance.now() - start);
    const ids = rows.map((r) => r.timerId);
    into.claimedIds.push(...ids);
    await client.query(DELETE_FIRED_TIMERS, [ids]);
    await client.query('COMMIT');
    into.jobsByConsumer[consumer] = (into.jobsByConsumer[consumer] ?? 0) + ids.length;
  }
};

const consumeEffects: Consume = async (client, run, consumer, into) => {
  const workerId = `bench-${consumer}`;
  for (;;) {
    const now = Date.now();
    await client.query(BEGIN_AND_JOURNEYS);
    const start = performance.now();
    const { rows } = await client.query<{ id: number; attempts: number }>(CLAIM_DUE_EFFECTS, [
      now,
      run.batchSize,
      workerId,
      now + LEASE_MS,
    ]);
    if (rows.length === 0) {
      await client.query('COMMIT');
      return;
    }
    into.claimMs.push(performance.now() - start);
    const ids = rows.map((r) => r.id);
    into.claimedIds.push(...ids);
    await client.query(MARK_EFFECTS_STARTED, [ids, workerId, now + LEASE_MS]);
    await client.query('COMMIT');
    // The executors would run here; then the result phase records every outcome in one statement.
    const n = ids.length;
    const at = new Date();
    await client.query('BEGIN');
    await client.query(EFFECT_OUTCOMES, [
      ids,
      Array(n).fill('done'),
      rows.map((r) => r.attempts + 1),
      Array(n).fill(true),
      Array(n).fill('{"sent":true}'),
      Array(n).fill(true),
      Array(n).fill(null),
      Array(n).fill(null),
      Array(n).fill(at),
      Array(n).fill(true),
    ]);
    await client.query('COMMIT');
    into.jobsByConsumer[consumer] = (into.jobsByConsumer[consumer] ?? 0) + n;
  }
};

async function runOurs(
  url: string,
  run: QueueRun,
  seeded: () => Promise<void>,
  consume: Consume,
): Promise<QueueRunResult> {
  const seeder = new pg.Pool({ connectionString: url, max: 1, types: RAW_POOL_TYPES });
  seeder.on('error', () => {});
  const result: QueueRunResult = {
    wallMs: 0,
    claimMs: [],
    claimedIds: [],
    jobsByConsumer: Array(run.consumers).fill(0),
    seedMs: 0,
  };
  try {
    result.seedMs = await seed(seeder, run.jobs);
    await seeder.query('VACUUM ANALYZE "Timer", "OutboxEffect", "Instance"');
  } finally {
    await seeder.end();
  }
  await seeded();
  // One pool per consumer, as one per worker process.
  const pools = Array.from(
    { length: run.consumers },
    () => new pg.Pool({ connectionString: url, max: 1, types: RAW_POOL_TYPES }),
  );
  for (const pool of pools) pool.on('error', () => {}); // a lost connection fails its query instead
  try {
    const start = performance.now();
    await Promise.all(
      pools.map(async (pool, consumer) => {
        const client = await pool.connect();
        try {
          await consume(client, run, consumer, result);
        } finally {
          client.release();
        }
      }),
    );
    result.wallMs = performance.now() - start;
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
  return result;
}

export const ourTimers: QueueContender = {
  name: 'ours: timers',
  how: 'CLAIM_DUE_TIMERS (FOR UPDATE OF t, i SKIP LOCKED) + DELETE, one transaction',
  run: (url, run, seeded) => runOurs(url, run, seeded, consumeTimers),
};

export const ourEffects: QueueContender = {
  name: 'ours: effects',
  how: 'CLAIM_DUE_EFFECTS (lease, SKIP LOCKED) + MARK_EFFECTS_STARTED, then EFFECT_OUTCOMES',
  run: (url, run, seeded) => runOurs(url, run, seeded, consumeEffects),
};
