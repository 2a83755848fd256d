import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import { portQuery, postgresSqlClientOn } from '../../../db/postgres-sql.ts';
import type { SqlValue } from '../../../db/sql-client.ts';
import type { Logger } from '../../../logger.ts';
import type { MaybePromise } from '../../maybe-async.ts';
import { StepWriteError } from '../../stepper.ts';
import type { CustomerRow, DueEffect, DueTimer, EngineStore, TimelineRow } from '../port.ts';
import { BatchCache, type JourneyRow, NotLoaded, type PgCustomerRow, type PgInstanceRow } from './batch-cache.ts';
import { loadDueEffects } from './effect-loads.ts';
import { loadEventBatch } from './event-loads.ts';
import { EventFacts, EventWrites, postgresEventRecords } from './event-records.ts';
import { inlineParams, StatementBatch } from './inline-sql.ts';
import * as SQL from './sql.ts';
import { stepWriter } from './step-writer.ts';
import { NOTIFY_AND_COMMIT } from './work-notifier.ts';
import { WriteBuffer } from './write-buffer.ts';

export interface PostgresStoreOptions {
  /** Names this worker in effect claims (`claimedBy`); default host:pid:random. */
  workerId?: string;
  /** How long an effect claim holds if the worker dies before storing its outcome (default 5 min). */
  leaseMs?: number;
  /** Where merges made during event intake are logged. */
  logger?: Logger;
  /**
   * A batch that writes an effect or timer due within this many ms sends NOTIFY with its COMMIT,
   * waking the engines listening (work-notifier.ts); default 250 (the engine's poll). False: never.
   */
  notifyWithinMs?: number | false;
}

export interface PostgresEngineStore extends EngineStore {
  readonly workerId: string;
  /** Rows written since the store was created (for rows-per-step figures). */
  readonly rowsWritten: number;
  /** Statements sent since the store was created, BEGIN and COMMIT included (round trips). */
  readonly roundTrips: number;
}

interface OpenBatch {
  client: pg.PoolClient;
  /**
   * Whether BEGIN has gone out. It goes with the batch's first statement (one round trip less per
   * batch), and a batch that sends nothing sends neither BEGIN nor COMMIT.
   */
  begun: boolean;
  cache: BatchCache;
  writes: WriteBuffer;
  facts: EventFacts;
  eventWrites: EventWrites;
  /**
   * A careful re-run (after a write failed): one buffer per step, each sent inside its own
   * SAVEPOINT, so a step whose writes fail is undone alone and its instance marked failed.
   */
  steps: WriteBuffer[];
  /** Versions this batch looked up that do not exist. */
  missingGraphs: Set<string>;
  /** Side statements (batchWrite) to send after the collected writes, in order. */
  sideWrites: Array<[string, readonly SqlValue[]]>;
  /** The soonest due (ms after the batch's clock) of the effects and timers written; see WriteBuffer.dueIn. */
  dueIn: number;
}

/**
 * The engine's store on PostgreSQL. A batch holds one pooled connection inside BEGIN … COMMIT.
 * Its loads (`claimDueTimers`, `prepareEnrolment`, …) are the only awaits: each sends the writes
 * collected so far, then reads everything the batch's steps will ask for with `= ANY($1)` queries;
 * the per-row reads are answered from that memory (batch-cache.ts) and the writes are collected
 * (write-buffer.ts) and sent one statement per kind of row. Per-customer serialisation comes from
 * row locks taken by the loads (see sql.ts).
 */
export function createPostgresStore(pool: pg.Pool, options: PostgresStoreOptions = {}): PostgresEngineStore {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 300_000;
  const notifyWithinMs = options.notifyWithinMs ?? 250;
  /** Graphs of published versions: immutable, so kept across batches. */
  const graphs = new Map<string, string>();
  const versionNumbers = new Map<string, number>();
  /** Instance ids taken from the sequence ahead of inserts (unused ones serve later batches). */
  const reservedIds: number[] = [];
  // The open batch follows its work across awaits, so batches of one store may overlap (an API
  // enrolment while the scheduler's batch waits for a load) without joining each other.
  const batches = new AsyncLocalStorage<OpenBatch>();
  // Customers read by recent batches: an executor reads its customer lazily, after the claim's
  // batch committed (dispatcher.ts), so that read is answered from what the claim loaded.
  const recentCustomers = new Map<string, CustomerRow | undefined>();
  let leaseUntil = 0;
  let rowsWritten = 0;
  let roundTrips = 0;
  const send = (client: pg.PoolClient) => (sql: string, values: unknown[]) => {
    roundTrips++;
    return client.query(sql, values);
  };

  const current = (): OpenBatch => {
    const open = batches.getStore();
    if (!open) throw new Error('PostgreSQL store: no batch is open');
    return open;
  };

  /**
   * Sends `text` (one or more statements, values inlined) as one simple query; the batch's first
   * trip carries BEGIN and the journeys in front of it (the batch's journey reads answer from them).
   * Returns the result of the last statement sent.
   */
  async function sendText(batch: OpenBatch, text: string): Promise<pg.QueryResult | undefined> {
    roundTrips++;
    const first = !batch.begun;
    batch.begun = true;
    const answer = (await batch.client.query(
      first ? [SQL.BEGIN_AND_JOURNEYS, text].filter(Boolean).join(';\n') : text,
    )) as unknown as pg.QueryResult | pg.QueryResult[];
    const results = Array.isArray(answer) ? answer : [answer];
    if (first) for (const j of (results[1]?.rows ?? []) as JourneyRow[]) batch.cache.journeys.set(j.id, j);
    return results.at(-1);
  }

  /** Begins the batch now, if it has not (before a statement that cannot carry BEGIN: a savepoint). */
  async function begin(batch: OpenBatch): Promise<void> {
    if (!batch.begun) await sendText(batch, '');
  }

  async function query<R>(sql: string, values: unknown[]): Promise<R[]> {
    const batch = current();
    if (!batch.begun) return ((await sendText(batch, inlineParams(sql, values)))?.rows ?? []) as R[];
    roundTrips++;
    return (await batch.client.query(sql, values)).rows as R[];
  }

  /**
   * Sends the writes collected so far, so that a read after them sees them: the event records, the
   * steps' rows, the side statements and `finish` (the COMMIT) as ONE query (values inlined,
   * inline-sql.ts). In a careful re-run the steps go one savepoint each between the two.
   */
  async function flush(finish?: () => string): Promise<void> {
    const batch = current();
    const written = batch.writes.rows + batch.eventWrites.rows;
    batch.dueIn = Math.min(batch.dueIn, batch.writes.dueIn, ...batch.steps.map((s) => s.dueIn));
    const together = new StatementBatch();
    const collect = async (sql: string, values: unknown[]) => together.add(sql, values);
    const sendTogether = async () => {
      if (together.size > 0) await sendText(batch, together.take());
    };
    const careful = batch.steps.length > 0;
    try {
      await batch.eventWrites.flush(collect, new Date());
      await batch.writes.flush(collect, workerId, leaseUntil);
      // Nothing comes between the writes and the rest unless a careful re-run's steps do.
      if (!careful) addSideWritesAndFinish(batch, together, finish);
      await sendTogether();
    } catch (error) {
      // The batch is rolled back and re-run with one savepoint per step (batch-runner.ts).
      throw new StepWriteError(0, error);
    }
    rowsWritten += written;
    batch.writes.rows = 0;
    batch.eventWrites.rows = 0;
    if (!careful) return;
    await flushSteps(batch);
    addSideWritesAndFinish(batch, together, finish);
    await sendTogether();
  }

  /** The batch's side statements, then its COMMIT (none if the batch never began: nothing to end). */
  function addSideWritesAndFinish(batch: OpenBatch, together: StatementBatch, finish?: () => string): void {
    for (const [sql, params] of batch.sideWrites.splice(0)) {
      const { text, values } = portQuery(sql, params);
      together.add(text, values ?? []);
    }
    if (finish && (batch.begun || together.size > 0)) together.add(finish());
  }

  /** A careful re-run's steps, each in its own SAVEPOINT; a failing one fails its instance alone. */
  async function flushSteps(batch: OpenBatch): Promise<void> {
    const failed = new Set<number>();
    await begin(batch);
    const q = send(batch.client);
    for (const step of batch.steps.splice(0)) {
      if (step.subject !== undefined && failed.has(step.subject)) continue; // planned on a failed step
      await q('SAVEPOINT step', []);
      try {
        await step.flush(q, workerId, leaseUntil);
        await q('RELEASE SAVEPOINT step', []);
        rowsWritten += step.rows;
      } catch (error) {
        await q('ROLLBACK TO SAVEPOINT step', []);
        if (step.subject === undefined) throw error;
        failed.add(step.subject);
        const message = error instanceof Error ? error.message : String(error);
        const at = Date.now();
        const detail = JSON.stringify({ error: message, cause: 'write' });
        await q(SQL.FAIL_INSTANCE, [step.subject, `error: ${message}`.slice(0, 500), new Date(at), at, detail]);
      }
    }
  }

  async function loadCustomers(customerIds: readonly string[], lock: boolean): Promise<void> {
    const { cache } = current();
    const missing = lock ? [...new Set(customerIds)] : [...new Set(customerIds)].filter((id) => !cache.hasCustomer(id));
    if (missing.length === 0) return;
    cache.addCustomers(missing, await query<PgCustomerRow>(lock ? SQL.CUSTOMERS_LOCKED : SQL.CUSTOMERS, [missing]));
    if (recentCustomers.size > 50_000) recentCustomers.clear();
    for (const id of missing) recentCustomers.set(id, cache.customer(id));
  }

  async function loadGraphs(versionIds: Iterable<string | null>): Promise<void> {
    const missing = [...new Set(versionIds)].filter((id): id is string => id !== null && !graphs.has(id));
    if (missing.length === 0) return;
    for (const row of await query<{ id: string; graph: string; version: number }>(SQL.VERSION_GRAPHS, [missing])) {
      graphs.set(row.id, row.graph);
      versionNumbers.set(row.id, row.version);
    }
    // Looked up and not found: this batch answers "no such version" (a later publish may add it).
    for (const id of missing) if (!graphs.has(id)) current().missingGraphs.add(id);
  }

  async function reserveIds(count: number): Promise<void> {
    if (reservedIds.length >= count) return;
    const rows = await query<{ id: number }>(SQL.RESERVE_INSTANCE_IDS, [count - reservedIds.length]);
    reservedIds.push(...rows.map((r) => r.id));
  }

  async function runBatch<T>(work: () => MaybePromise<T>): Promise<T> {
    const client = await pool.connect();
    const batch: OpenBatch = {
      client,
      begun: false,
      cache: new BatchCache(),
      writes: new WriteBuffer(),
      facts: new EventFacts(),
      eventWrites: new EventWrites(),
      missingGraphs: new Set(),
      steps: [],
      sideWrites: [],
      dueIn: Number.POSITIVE_INFINITY,
    };
    let broken: unknown;
    try {
      // BEGIN goes with the first statement, COMMIT with the last writes (flush).
      return await batches.run(batch, async () => {
        const result = await work();
        // At most one NOTIFY per batch, in its transaction: delivered only if it commits.
        await flush(() => (notifyWithinMs !== false && batch.dueIn <= notifyWithinMs ? NOTIFY_AND_COMMIT : 'COMMIT'));
        return result;
      });
    } catch (error) {
      if (!batch.begun) throw error;
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback; // the connection is unusable: the pool must not hand it out again
      });
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** The journeys as the batch's BEGIN read them: a read before its first statement is a bug. */
  function journeys(): Map<string, JourneyRow> {
    const batch = current();
    if (!batch.begun) throw new NotLoaded('the journeys (before the batch sent its first statement)');
    return batch.cache.journeys;
  }
  const journeyOf = (journeyId: string) => journeys().get(journeyId);

  const records = postgresEventRecords(() => {
    const batch = current();
    return {
      facts: batch.facts,
      writes: batch.eventWrites,
      customer: (id: string) => batch.cache.customer(id),
      created: (id: string, identities: Record<string, string>) =>
        batch.cache.created(
          id,
          identities,
          [...journeys().values()].filter((j) => j.status === 'live').map((j) => j.id),
        ),
    };
  });

  const store: PostgresEngineStore = {
    ...records,
    workerId,
    get rowsWritten() {
      return rowsWritten;
    },
    get roundTrips() {
      return roundTrips;
    },

    batch<T>(work: () => MaybePromise<T>): MaybePromise<T> {
      // A batch started inside another joins it (as SQLite's nested transaction does).
      if (batches.getStore()) return work();
      return runBatch(work);
    },

    savepoint(work) {
      // Only a careful re-run asks for savepoints (stepper.ts): the step's writes are collected in
      // a buffer of their own, sent inside a SAVEPOINT (flushSteps); a step that throws is dropped.
      const batch = current();
      const outer = batch.writes;
      const step = new WriteBuffer();
      batch.writes = step;
      try {
        const result = work();
        batch.steps.push(step);
        return result;
      } finally {
        batch.writes = outer;
      }
    },

    async claimDueTimers(now, limit): Promise<DueTimer[]> {
      await flush();
      const rows = await query<PgInstanceRow & { timerId: number; timerKey: string; timerDueAt: number }>(
        SQL.CLAIM_DUE_TIMERS,
        [now, limit],
      );
      const { cache } = current();
      await loadCustomers(
        rows.map((r) => r.customerId),
        false,
      );
      await loadGraphs(rows.map((r) => r.versionId));
      // Timers of one instance share its row object, which each step keeps current.
      return rows.map((r) => {
        const { timerId, timerKey, timerDueAt, ...instance } = r;
        // A copy per timer (two timers of one instance carry different keys); the stepper keeps one
        // row per instance and the cache follows its steps (BatchCache.stepped).
        return { ...cache.instance(instance), timerId, timerKey, timerDueAt };
      });
    },

    async prepareEnrolment(journeyId, customerIds) {
      await flush();
      const { cache } = current();
      await loadCustomers(customerIds, true);
      cache.addRuns(
        [journeyId],
        customerIds,
        await query<PgInstanceRow>(SQL.RUNS_OF_JOURNEY, [journeyId, customerIds]),
      );
      await reserveIds(customerIds.length);
      await loadGraphs([journeyOf(journeyId)?.liveVersionId ?? null]);
    },

    async prepareEvents(events, now = Date.now()) {
      await flush();
      const { cache, facts, client } = current();
      const sql = postgresSqlClientOn(client);
      const ctx = { query, loadCustomers, reserveIds, loadGraphs, cache, facts, sql, logger: options.logger };
      await loadEventBatch(ctx, events, now);
    },

    async claimDueEffects(now, limit): Promise<DueEffect[]> {
      await flush();
      leaseUntil = now + leaseMs;
      const { cache } = current();
      return loadDueEffects({ query, loadCustomers, loadGraphs, cache }, now, limit, workerId, leaseUntil);
    },

    async dueWork(now) {
      roundTrips++;
      const { rows } = await pool.query<{ timers: boolean; effects: boolean }>(SQL.DUE_WORK, [now]);
      return rows[0] ?? { timers: false, effects: false };
    },

    async loadRetry(instanceId) {
      await flush();
      const { cache } = current();
      const [facts] = await query<
        PgInstanceRow & {
          exitReason: string | null;
          journeyStatus: string;
          runsAgain: boolean;
          failedEffectKeys: string[];
        }
      >(SQL.RETRY_FACTS, [instanceId]);
      if (!facts) return undefined;
      const { exitReason, journeyStatus, runsAgain, failedEffectKeys, ...instance } = facts;
      const row = cache.instance(instance);
      await loadCustomers([row.customerId], true);
      await loadGraphs([row.versionId]);
      return { row, exitReason, journeyStatus, runsAgain, failedEffectKeys };
    },

    async instancesByIds(instanceIds) {
      await flush();
      const { cache } = current();
      const rows = (await query<PgInstanceRow>(SQL.INSTANCES_BY_IDS_LOCKED, [[...new Set(instanceIds)]])).map((r) =>
        cache.instance(r),
      );
      await loadCustomers(
        rows.map((r) => r.customerId),
        false,
      );
      await loadGraphs(rows.map((r) => r.versionId));
      return rows;
    },

    deleteFiredTimers(timerIds) {
      current().writes.deleteFiredTimers(timerIds);
    },
    activeInstancesOfCustomer: (customerId) => current().cache.activeInstancesOfCustomer(customerId),
    async activeInstancesOfJourney(journeyId, exceptVersionId) {
      await flush();
      const { cache } = current();
      const rows = (await query<PgInstanceRow>(SQL.ACTIVE_OF_JOURNEY, [journeyId, exceptVersionId])).map((r) =>
        cache.instance(r),
      );
      await loadCustomers(
        rows.map((r) => r.customerId),
        false,
      );
      await loadGraphs([exceptVersionId, ...rows.map((r) => r.versionId)]);
      return rows;
    },
    lastInstance: (customerId, journeyId) => current().cache.lastInstance(customerId, journeyId),
    hasActiveInstance: (customerId, journeyId) => current().cache.hasActiveInstance(customerId, journeyId),
    customer(customerId) {
      const open = batches.getStore();
      if (open) return open.cache.customer(customerId);
      if (!recentCustomers.has(customerId)) throw new NotLoaded(`customer ${customerId} (outside a batch)`);
      return recentCustomers.get(customerId);
    },
    customerErasedAt(customerId) {
      const row = current().cache.customer(customerId);
      return row ? { erasedAt: row.erasedAt } : undefined;
    },
    journey(journeyId) {
      const j = journeyOf(journeyId);
      return j && { id: j.id, status: j.status, liveVersionId: j.liveVersionId };
    },
    journeyName: (journeyId) => journeyOf(journeyId)?.name,
    liveJourneys: () =>
      [...journeys().values()].flatMap((j) =>
        j.status === 'live' && j.liveVersionId ? [{ id: j.id, liveVersionId: j.liveVersionId }] : [],
      ),
    versionGraph(versionId) {
      const graph = graphs.get(versionId);
      if (graph === undefined && !batches.getStore()?.missingGraphs.has(versionId))
        throw new NotLoaded(`the graph of version ${versionId}`);
      return graph;
    },
    versionNumber: (versionId) => versionNumbers.get(versionId),
    async batchRead<T>(sql: string, params: readonly SqlValue[]): Promise<T[]> {
      await flush();
      const batch = current();
      await begin(batch);
      roundTrips++;
      return (await batch.client.query(portQuery(sql, params))).rows as T[];
    },
    batchWrite(sql, params) {
      current().sideWrites.push([sql, params]);
    },
    async timeline(instanceId): Promise<TimelineRow[]> {
      return (await pool.query(SQL.TIMELINE, [instanceId])).rows as TimelineRow[];
    },
    peekOutcomeResolution: (effectKey) => current().cache.resolution(effectKey),
    countMessages: (customerId, channel, since, exceptKey) =>
      current().cache.countMessages(customerId, channel, since, exceptKey),

    insertInstance(instance) {
      const { cache, writes } = current();
      const id = reservedIds.shift();
      if (id === undefined) throw new NotLoaded('an instance id (the batch reserved too few)');
      writes.insertInstance({ ...instance, id });
      cache.inserted(id, instance);
      return id;
    },

    ...stepWriter(current),
  };
  return store;
}
