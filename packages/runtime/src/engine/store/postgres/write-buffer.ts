import type { CustomerUpdate } from '@siyu/shared';
import type { NewInstance } from '../port.ts';
import * as SQL from './sql.ts';

/** Sends one statement on the batch's connection. */
export type Send = (sql: string, values: unknown[]) => Promise<unknown>;

/** An instance's state after the batch's last step on it (several steps collapse to one UPDATE). */
interface InstanceUpdate {
  snapshot: string;
  nodeId: string | null;
  waitingFor: string | null;
  status: string;
  exitReason: string | null;
  /** Set once: a goal reached earlier (in the row or the batch) is kept. */
  goalAt: Date | null;
  updatedAt: Date;
  endedAt: Date | null;
}

/** Timer changes of one instance, as their net effect: deletes run before inserts. */
interface TimerChanges {
  clearAll: boolean;
  deleteKeys: Set<string>;
  inserts: Map<string, { dueAt: number; createdAt: Date }>;
}

/** A customer's attribute changes in the batch, net: a later change of a name replaces an earlier one. */
interface AttributePatch {
  set: Record<string, unknown>;
  unset: Set<string>;
  at: Date;
}

type EffectOutcome =
  | { kind: 'finish'; status: string; attempts: number; result: string | null; error: string | null; at: Date }
  | { kind: 'retry'; attempts: number; nextAttemptAt: number; error: string }
  | { kind: 'defer'; nextAttemptAt: number }
  | { kind: 'park'; attempts: number; error: string };

/**
 * The writes of one PostgreSQL batch, collected in memory and sent together: one statement per
 * kind of row (arrays through `unnest`), never one per row. Sent before the batch's next read and
 * before COMMIT, so every read sees the batch's own writes.
 */
export class WriteBuffer {
  private instances: Array<NewInstance & { id: number }> = [];
  private updates = new Map<number, InstanceUpdate>();
  private versionMoves = new Map<number, string>();
  private timers = new Map<number, TimerChanges>();
  private firedTimers: number[] = [];
  private outbox: unknown[][] = [[], [], [], [], [], [], []];
  private stepLog: unknown[][] = [[], [], [], [], [], [], [], [], []];
  private effectOutcomes = new Map<number, EffectOutcome>();
  private startedEffects: number[] = [];
  private takenResolutions: Array<[number, number]> = [];
  private processedEvents: Array<[string, number]> = [];
  private reopened: Array<[number, string, number]> = [];
  /** Tag changes by customer and tag, net (the last wins): `add` with its source, or removed. */
  private tagChanges = new Map<string, { customerId: string; tag: string; add: boolean; source: string; at: Date }>();
  private attributePatches = new Map<string, AttributePatch>();
  /** Rows collected, for the benchmark's rows-written-per-step figure. */
  rows = 0;
  /**
   * How soon (epoch ms, minus the batch's clock) the earliest effect or timer written comes due;
   * Infinity when none. Kept across flushes: the batch announces work at COMMIT (work-notifier.ts).
   */
  dueIn = Number.POSITIVE_INFINITY;
  /** The instance this buffer's first step wrote (a careful re-run keeps one buffer per step). */
  subject?: number;

  insertInstance(row: NewInstance & { id: number }): void {
    this.subject ??= row.id;
    this.instances.push(row);
    this.rows++;
  }

  updateInstance(id: number, update: InstanceUpdate): void {
    this.subject ??= id;
    const earlier = this.updates.get(id);
    this.updates.set(id, { ...update, goalAt: earlier?.goalAt ?? update.goalAt });
    if (!earlier) this.rows++;
  }

  moveToVersion(id: number, versionId: string): void {
    this.versionMoves.set(id, versionId);
    this.clearTimers(id);
    this.rows++;
  }

  private timersOf(instanceId: number): TimerChanges {
    let changes = this.timers.get(instanceId);
    if (!changes) {
      changes = { clearAll: false, deleteKeys: new Set(), inserts: new Map() };
      this.timers.set(instanceId, changes);
    }
    return changes;
  }

  /** INSERT … ON CONFLICT DO NOTHING, as SQLite's INSERT OR IGNORE: an existing wait keeps its time. */
  insertTimer(instanceId: number, dueAt: number, key: string, createdAt: Date): void {
    const changes = this.timersOf(instanceId);
    if (!changes.inserts.has(key)) changes.inserts.set(key, { dueAt, createdAt });
    this.dueIn = Math.min(this.dueIn, dueAt - createdAt.getTime());
    this.rows++;
  }

  deleteTimer(instanceId: number, key: string): void {
    const changes = this.timersOf(instanceId);
    changes.inserts.delete(key);
    changes.deleteKeys.add(key);
    this.rows++;
  }

  clearTimers(instanceId: number): void {
    const changes = this.timersOf(instanceId);
    changes.clearAll = true;
    changes.inserts.clear();
    changes.deleteKeys.clear();
  }

  deleteFiredTimers(ids: readonly number[]): void {
    this.firedTimers.push(...ids);
    this.rows += ids.length;
  }

  insertOutbox(instanceId: number, nodeId: string, nodeType: string, key: string, due: number, at: Date): void {
    const values = [instanceId, nodeId, nodeType, key, '{}', due, at];
    for (const [i, v] of values.entries()) this.outbox[i]?.push(v);
    this.dueIn = Math.min(this.dueIn, due - at.getTime());
    this.rows++;
  }

  appendStepLog(values: readonly unknown[]): void {
    this.subject ??= values[0] as number;
    for (const [i, v] of values.entries()) this.stepLog[i]?.push(v);
    this.rows++;
  }

  effectOutcome(effectId: number, outcome: EffectOutcome): void {
    this.effectOutcomes.set(effectId, outcome);
    this.rows++;
  }

  effectsStarted(ids: readonly number[]): void {
    this.startedEffects.push(...ids);
  }

  resolutionTaken(resolutionId: number, at: number): void {
    this.takenResolutions.push([resolutionId, at]);
    this.rows++;
  }

  reopenFailedStep(instanceId: number, effectKey: string, at: number): void {
    this.reopened.push([instanceId, effectKey, at]);
    this.dueIn = Math.min(this.dueIn, 0);
    this.rows += 2;
  }

  /** A step's customer update (tag and attribute nodes), kept as its net effect on the customer. */
  customerUpdate(customerId: string, update: CustomerUpdate, source: string, at: Date): void {
    const tagChange = (tag: string, add: boolean) => {
      const key = `${customerId}\u0000${tag}`;
      if (!this.tagChanges.has(key)) this.rows++; // one row per customer and tag, however often changed
      this.tagChanges.set(key, { customerId, tag, add, source, at });
    };
    for (const tag of update.removeTags ?? []) tagChange(tag, false);
    for (const tag of update.addTags ?? []) tagChange(tag, true);
    if (!update.setAttributes && !update.unsetAttributes?.length) return;
    let patch = this.attributePatches.get(customerId);
    if (!patch) {
      patch = { set: {}, unset: new Set(), at };
      this.attributePatches.set(customerId, patch);
      this.rows++; // one customer row updated, however many steps change it
    }
    for (const name of update.unsetAttributes ?? []) {
      delete patch.set[name];
      patch.unset.add(name);
    }
    for (const [name, value] of Object.entries(update.setAttributes ?? {})) {
      patch.set[name] = value;
      patch.unset.delete(name);
    }
    patch.at = at;
  }

  eventProcessed(externalId: string, at: number): void {
    this.processedEvents.push([externalId, at]);
    this.rows++;
  }

  /** Sends everything collected (one statement per kind that has rows) and empties the buffer. */
  async flush(q: Send, workerId: string, leaseUntil: number): Promise<void> {
    if (this.reopened.length > 0) {
      // Before the retry's own step: its update of the instance comes after this one.
      const reopened = this.reopened;
      this.reopened = [];
      await q(
        `UPDATE "OutboxEffect" o SET status = 'pending', "nextAttemptAt" = u.at, "lastError" = NULL, result = NULL,
           "finishedAt" = NULL FROM unnest($1::text[], $2::bigint[]) AS u(k, at)
         WHERE o."idempotencyKey" = u.k AND o.status = 'failed'`,
        [reopened.map((r) => r[1]), reopened.map((r) => r[2])],
      );
      await q(
        `UPDATE "Instance" i SET status = 'active', "exitReason" = NULL, "endedAt" = NULL, "updatedAt" = to_timestamp(u.at / 1000.0) AT TIME ZONE 'UTC'
         FROM unnest($1::int[], $2::bigint[]) AS u(id, at) WHERE i.id = u.id`,
        [reopened.map((r) => r[0]), reopened.map((r) => r[2])],
      );
    }
    if (this.instances.length > 0) {
      const rows = this.instances;
      this.instances = [];
      await q(
        `INSERT INTO "Instance" (id, "journeyId", "versionId", "customerId", status, holdout, snapshot, "nodeId",
           "waitingFor", "exitReason", "goalAt", "enteredAt", "updatedAt", "endedAt")
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::text[],
           $8::text[], $9::text[], $10::text[], $11::timestamp(3)[], $12::timestamp(3)[], $12::timestamp(3)[], $13::timestamp(3)[])`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.journeyId),
          rows.map((r) => r.versionId),
          rows.map((r) => r.customerId),
          rows.map((r) => r.status),
          rows.map((r) => r.holdout),
          rows.map((r) => r.snapshot),
          rows.map((r) => r.nodeId),
          rows.map((r) => r.waitingFor),
          rows.map((r) => r.exitReason),
          rows.map((r) => (r.goal ? new Date(r.at) : null)),
          rows.map((r) => new Date(r.at)),
          rows.map((r) => (r.ended ? new Date(r.at) : null)),
        ],
      );
    }
    if (this.updates.size > 0) {
      const ids = [...this.updates.keys()];
      const rows = [...this.updates.values()];
      this.updates = new Map();
      await q(
        `UPDATE "Instance" i SET snapshot = u.snapshot, "nodeId" = u."nodeId", "waitingFor" = u."waitingFor",
           status = u.status, "exitReason" = u."exitReason", "goalAt" = COALESCE(i."goalAt", u."goalAt"),
           "updatedAt" = u."updatedAt", "endedAt" = u."endedAt"
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamp(3)[],
           $8::timestamp(3)[], $9::timestamp(3)[])
           AS u(id, snapshot, "nodeId", "waitingFor", status, "exitReason", "goalAt", "updatedAt", "endedAt")
         WHERE i.id = u.id`,
        [
          ids,
          rows.map((r) => r.snapshot),
          rows.map((r) => r.nodeId),
          rows.map((r) => r.waitingFor),
          rows.map((r) => r.status),
          rows.map((r) => r.exitReason),
          rows.map((r) => r.goalAt),
          rows.map((r) => r.updatedAt),
          rows.map((r) => r.endedAt),
        ],
      );
    }
    if (this.versionMoves.size > 0) {
      const moves = this.versionMoves;
      this.versionMoves = new Map();
      await q(
        `UPDATE "Instance" i SET "versionId" = u.v FROM unnest($1::int[], $2::text[]) AS u(id, v) WHERE i.id = u.id`,
        [[...moves.keys()], [...moves.values()]],
      );
    }
    await this.flushTimers(q);
    if ((this.outbox[0]?.length ?? 0) > 0) {
      const columns = this.outbox;
      this.outbox = [[], [], [], [], [], [], []];
      await q(
        `INSERT INTO "OutboxEffect" ("instanceId", "nodeId", "nodeType", "idempotencyKey", payload, status, attempts,
           "nextAttemptAt", "createdAt")
         SELECT i, n, t, k, p, 'pending', 0, d, c
         FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamp(3)[])
           AS u(i, n, t, k, p, d, c)
         ON CONFLICT ("idempotencyKey") DO NOTHING`,
        columns,
      );
    }
    if ((this.stepLog[0]?.length ?? 0) > 0) {
      const columns = this.stepLog;
      this.stepLog = [[], [], [], [], [], [], [], [], []];
      await q(
        `INSERT INTO "StepLog" ("instanceId", "journeyId", "versionId", at, kind, "nodeId", "fromNodeId", port, detail)
         SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[],
           $8::text[], $9::text[])`,
        columns,
      );
    }
    await this.flushCustomerUpdates(q);
    await this.flushEffects(q, workerId, leaseUntil);
    if (this.processedEvents.length > 0) {
      const events = this.processedEvents;
      this.processedEvents = [];
      await q(
        `UPDATE "Event" e SET "processedAt" = u.at FROM unnest($1::text[], $2::bigint[]) AS u(id, at)
         WHERE e."externalId" = u.id`,
        [events.map((e) => e[0]), events.map((e) => e[1])],
      );
    }
  }

  private async flushTimers(q: Send): Promise<void> {
    const cleared: number[] = [];
    const deleted: [number[], string[]] = [[], []];
    const inserted: [number[], number[], string[], Date[]] = [[], [], [], []];
    for (const [instanceId, changes] of this.timers) {
      if (changes.clearAll) cleared.push(instanceId);
      for (const key of changes.deleteKeys) {
        deleted[0].push(instanceId);
        deleted[1].push(key);
      }
      for (const [key, { dueAt, createdAt }] of changes.inserts) {
        inserted[0].push(instanceId);
        inserted[1].push(dueAt);
        inserted[2].push(key);
        inserted[3].push(createdAt);
      }
    }
    this.timers = new Map();
    const fired = this.firedTimers;
    this.firedTimers = [];
    if (fired.length > 0) await q(SQL.DELETE_FIRED_TIMERS, [fired]);
    if (cleared.length > 0) await q('DELETE FROM "Timer" WHERE "instanceId" = ANY($1::int[])', [cleared]);
    if (deleted[0].length > 0) {
      await q(
        `DELETE FROM "Timer" t USING unnest($1::int[], $2::text[]) AS u(i, k) WHERE t."instanceId" = u.i AND t.key = u.k`,
        deleted,
      );
    }
    if (inserted[0].length > 0) {
      await q(
        `INSERT INTO "Timer" ("instanceId", "dueAt", key, "createdAt")
         SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::timestamp(3)[])
         ON CONFLICT ("instanceId", key) DO NOTHING`,
        inserted,
      );
    }
  }

  private async flushCustomerUpdates(q: Send): Promise<void> {
    const changes = [...this.tagChanges.values()];
    this.tagChanges = new Map();
    const removed = changes.filter((c) => !c.add);
    const added = changes.filter((c) => c.add);
    if (removed.length > 0) {
      await q(
        `DELETE FROM "CustomerTag" t USING unnest($1::text[], $2::text[]) AS u(c, tag)
         WHERE t."customerId" = u.c AND t.tag = u.tag`,
        [removed.map((c) => c.customerId), removed.map((c) => c.tag)],
      );
    }
    if (added.length > 0) {
      await q(
        `INSERT INTO "CustomerTag" ("customerId", tag, source, "createdAt")
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp(3)[]) ON CONFLICT DO NOTHING`,
        [added.map((c) => c.customerId), added.map((c) => c.tag), added.map((c) => c.source), added.map((c) => c.at)],
      );
    }
    if (this.attributePatches.size === 0) return;
    const patches = this.attributePatches;
    this.attributePatches = new Map();
    // Changed by name inside the UPDATE, not rewritten whole from what the batch read: a writer that
    // changed another attribute meanwhile (this batch may not hold the customer's row) keeps its change.
    await q(
      `UPDATE "Customer" c SET attributes = ((c.attributes::jsonb - u.unset) || u.set::jsonb)::text, "updatedAt" = u.at
       FROM (SELECT id, set, ARRAY(SELECT jsonb_array_elements_text(unset::jsonb)) AS unset, at
             FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp(3)[]) AS p(id, set, unset, at)) u
       WHERE c.id = u.id`,
      [
        [...patches.keys()],
        [...patches.values()].map((p) => JSON.stringify(p.set)),
        [...patches.values()].map((p) => JSON.stringify([...p.unset])),
        [...patches.values()].map((p) => p.at),
      ],
    );
  }

  private async flushEffects(q: Send, workerId: string, leaseUntil: number): Promise<void> {
    if (this.startedEffects.length > 0) {
      const ids = this.startedEffects;
      this.startedEffects = [];
      await q(SQL.MARK_EFFECTS_STARTED, [ids, workerId, leaseUntil]);
    }
    if (this.takenResolutions.length > 0) {
      const taken = this.takenResolutions;
      this.takenResolutions = [];
      await q(
        `UPDATE "OutcomeResolution" r SET "consumedAt" = u.at FROM unnest($1::int[], $2::bigint[]) AS u(id, at)
         WHERE r.id = u.id`,
        [taken.map((t) => t[0]), taken.map((t) => t[1])],
      );
    }
    if (this.effectOutcomes.size === 0) return;
    const outcomes = this.effectOutcomes;
    this.effectOutcomes = new Map();
    // One UPDATE for every kind of outcome: a column the outcome does not set keeps its value. The
    // claim is released with the outcome.
    const ids: number[] = [];
    const cols: unknown[][] = [[], [], [], [], [], [], [], [], []];
    for (const [id, o] of outcomes) {
      ids.push(id);
      const row =
        o.kind === 'finish'
          ? [o.status, o.attempts, true, o.result, true, o.error, null, o.at, true]
          : o.kind === 'retry'
            ? [null, o.attempts, false, null, true, o.error, o.nextAttemptAt, null, false]
            : o.kind === 'defer'
              ? [null, null, false, null, false, null, o.nextAttemptAt, null, false]
              : ['unknown', o.attempts, false, null, true, o.error, null, null, false];
      for (const [i, v] of row.entries()) cols[i]?.push(v);
    }
    await q(SQL.EFFECT_OUTCOMES, [ids, ...cols]);
  }
}
