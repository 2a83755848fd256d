import type BetterSqlite3 from 'better-sqlite3';
import { prepareOutcomeStatements } from '../../outcome-statements.ts';
import type { CustomerRow, InstanceRow } from '../port.ts';

/** The part of a prepared statement the engine uses, named here so declarations stay portable. */
export interface Stmt<P extends unknown[], R = unknown> {
  run(...params: P): { changes: number; lastInsertRowid: number | bigint };
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

function prep<P extends unknown[], R = unknown>(db: BetterSqlite3.Database, sql: string): Stmt<P, R> {
  return db.prepare(sql) as unknown as Stmt<P, R>;
}

/**
 * Prepared statements for the engine's hot path. Prisma per row is far too slow for millions of
 * steps; these run inside one better-sqlite3 transaction per batch of instances.
 */

/** Step-log rows per multi-row INSERT when a batch writes its collected rows. */
export const STEP_ROWS_PER_INSERT = 64;
export const STEP_LOG_COLUMNS = 9;
const STEP_LOG_INSERT =
  'INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId, port, detail) VALUES';
const STEP_LOG_ROW = `(${Array(STEP_LOG_COLUMNS).fill('?').join(', ')})`;

const INSTANCE_COLUMNS = [
  'id',
  'journeyId',
  'versionId',
  'customerId',
  'status',
  'holdout',
  'snapshot',
  'nodeId',
  'waitingFor',
  'enteredAt',
] as const satisfies ReadonlyArray<keyof InstanceRow>;

export function prepareStatements(db: BetterSqlite3.Database) {
  return {
    ...prepareOutcomeStatements(db),
    instanceById: prep<[number], InstanceRow>(
      db,
      'SELECT id, journeyId, versionId, customerId, status, holdout, snapshot, nodeId, waitingFor, enteredAt FROM Instance WHERE id = ?',
    ),
    instancesByIds: prep<[string], InstanceRow>(
      db,
      `SELECT ${INSTANCE_COLUMNS.join(', ')} FROM Instance WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    activeInstancesOfCustomer: prep<[string], InstanceRow>(
      db,
      "SELECT id, journeyId, versionId, customerId, status, holdout, snapshot, nodeId, waitingFor, enteredAt FROM Instance WHERE customerId = ? AND status = 'active'",
    ),
    lastInstance: prep<[string, string], { id: number; status: string; enteredAt: string }>(
      db,
      'SELECT id, status, enteredAt FROM Instance WHERE customerId = ? AND journeyId = ? ORDER BY id DESC LIMIT 1',
    ),
    hasActive: prep<[string, string], { id: number }>(
      db,
      "SELECT id FROM Instance WHERE customerId = ? AND journeyId = ? AND status = 'active' LIMIT 1",
    ),
    insertInstance: prep<unknown[]>(
      db,
      `INSERT INTO Instance (journeyId, versionId, customerId, status, holdout, snapshot, nodeId, waitingFor, exitReason,
         goalAt, enteredAt, updatedAt, endedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateInstance: prep<unknown[]>(
      db,
      `UPDATE Instance SET snapshot = ?, nodeId = ?, waitingFor = ?, status = ?, exitReason = ?, goalAt = COALESCE(goalAt, ?),
       updatedAt = ?, endedAt = ? WHERE id = ?`,
    ),
    /** A step that leaves the instance active and reaches no goal (the common case). */
    moveInstance: prep<unknown[]>(
      db,
      'UPDATE Instance SET snapshot = ?, nodeId = ?, waitingFor = ?, exitReason = NULL, updatedAt = ?, endedAt = NULL WHERE id = ?',
    ),
    moveInstanceVersion: prep<unknown[]>(db, 'UPDATE Instance SET versionId = ? WHERE id = ?'),
    activeInstancesOfJourney: prep<[string, string], InstanceRow>(
      db,
      "SELECT id, journeyId, versionId, customerId, status, holdout, snapshot, nodeId, waitingFor, enteredAt FROM Instance WHERE journeyId = ? AND status = 'active' AND versionId != ?",
    ),
    insertTimer: prep<unknown[]>(
      db,
      'INSERT OR IGNORE INTO Timer (instanceId, dueAt, key, createdAt) VALUES (?, ?, ?, ?)',
    ),
    deleteTimer: prep<unknown[]>(db, 'DELETE FROM Timer WHERE instanceId = ? AND key = ?'),
    deleteTimersOf: prep<unknown[]>(db, 'DELETE FROM Timer WHERE instanceId = ?'),
    deleteTimersById: prep<[string]>(db, 'DELETE FROM Timer WHERE id IN (SELECT value FROM json_each(?))'),
    /** Due timers with their instance's row (instance columns are null if it no longer exists). */
    dueTimerInstances: prep<
      [number, number],
      { timerId: number; timerKey: string; timerDueAt: number } & (InstanceRow | { [K in keyof InstanceRow]: null })
    >(
      db,
      `SELECT t.id AS timerId, t.key AS timerKey, t.dueAt AS timerDueAt, ${INSTANCE_COLUMNS.map((c) => `i.${c}`).join(', ')}
       FROM Timer t LEFT JOIN Instance i ON i.id = t.instanceId WHERE t.dueAt <= ? ORDER BY t.dueAt LIMIT ?`,
    ),
    /** Whether any timer or pending effect is due (the scheduler asks before claiming). */
    dueWork: prep<[number, number], { timers: number; effects: number }>(
      db,
      `SELECT EXISTS (SELECT 1 FROM Timer WHERE dueAt <= ?) AS timers,
         EXISTS (SELECT 1 FROM OutboxEffect WHERE status = 'pending' AND nextAttemptAt <= ?) AS effects`,
    ),
    insertOutbox: prep<unknown[]>(
      db,
      `INSERT OR IGNORE INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, status, attempts, nextAttemptAt, createdAt)
       VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`,
    ),
    /**
     * Due effects with their instance's columns (prefixed `i_`, null if the instance is gone): one
     * statement per batch, not a read per effect.
     */
    dueEffects: prep<
      [number, number],
      { id: number; instanceId: number; nodeId: string; nodeType: string; idempotencyKey: string; attempts: number } & {
        [K in keyof InstanceRow as `i_${K}`]: InstanceRow[K] | null;
      }
    >(
      db,
      `SELECT e.id, e.instanceId, e.nodeId, e.nodeType, e.idempotencyKey, e.attempts,
         ${INSTANCE_COLUMNS.map((c) => `i.${c} AS i_${c}`).join(', ')}
       FROM OutboxEffect e LEFT JOIN Instance i ON i.id = e.instanceId
       WHERE e.status = 'pending' AND e.nextAttemptAt <= ? ORDER BY e.nextAttemptAt LIMIT ?`,
    ),
    finishEffect: prep<unknown[]>(
      db,
      'UPDATE OutboxEffect SET status = ?, attempts = ?, result = ?, lastError = ?, finishedAt = ? WHERE id = ?',
    ),
    retryEffect: prep<unknown[]>(
      db,
      'UPDATE OutboxEffect SET attempts = ?, nextAttemptAt = ?, lastError = ? WHERE id = ?',
    ),
    deferEffect: prep<unknown[]>(db, 'UPDATE OutboxEffect SET nextAttemptAt = ? WHERE id = ?'),
    insertStep: prep<unknown[]>(db, `${STEP_LOG_INSERT} ${STEP_LOG_ROW}`),
    insertSteps: prep<unknown[]>(db, `${STEP_LOG_INSERT} ${Array(STEP_ROWS_PER_INSERT).fill(STEP_LOG_ROW).join(', ')}`),
    timeline: prep<
      [number],
      {
        at: number;
        kind: string;
        nodeId: string | null;
        fromNodeId: string | null;
        port: string | null;
        detail: string | null;
      }
    >(db, 'SELECT at, kind, nodeId, fromNodeId, port, detail FROM StepLog WHERE instanceId = ? ORDER BY id'),
    markEventProcessed: prep<unknown[]>(db, 'UPDATE Event SET processedAt = ? WHERE externalId = ?'),
    journey: prep<[string], { id: string; status: string; liveVersionId: string | null }>(
      db,
      'SELECT id, status, liveVersionId FROM Journey WHERE id = ?',
    ),
    liveJourneys: prep<[], { id: string; liveVersionId: string }>(
      db,
      "SELECT id, liveVersionId FROM Journey WHERE status = 'live' AND liveVersionId IS NOT NULL",
    ),
    versionGraph: prep<[string], { graph: string; journeyId: string }>(
      db,
      'SELECT graph, journeyId FROM JourneyVersion WHERE id = ?',
    ),
    /** The customer with tags and identities in one statement (the hot path reads it every step). */
    customer: prep<[string], CustomerRow>(
      db,
      `SELECT c.id, c.displayName, c.attributes, c.ownerUserId, c.channelCode, c.variant, c.erasedAt, c.rfm,
        (SELECT json_group_array(tag) FROM CustomerTag WHERE customerId = c.id) AS tags,
        (SELECT json_group_object(kind, value) FROM CustomerIdentity WHERE customerId = c.id) AS identities
       FROM Customer c WHERE c.id = ?`,
    ),
    customerErased: prep<[string], { erasedAt: string | null }>(db, 'SELECT erasedAt FROM Customer WHERE id = ?'),
    countMessages: prep<[string, string, number, string], { n: number }>(
      db,
      'SELECT count(*) AS n FROM Message WHERE customerId = ? AND channel = ? AND sentAt >= ? AND idempotencyKey != ?',
    ),
  };
}
export type Statements = ReturnType<typeof prepareStatements>;
