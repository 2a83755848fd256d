import type { SqlClient } from '../db/sql-client.ts';
import { placeholders } from '../db/sql-dialect.ts';

/** An effect that failed and waits to be tried again (or is held with its paused journey). */
export interface PendingRetry {
  instanceId: number;
  nodeId: string;
  nodeType: string;
  /** Tries made so far; the next one is attempt + 1. */
  attempts: number;
  /** Epoch ms of the next try (while held: when it was due). */
  nextAttemptAt: number;
  lastError: string | null;
  /** The journey was paused by the engine; the retry waits for it to resume. */
  held: boolean;
}

/**
 * Retries waiting for the given instances. A run whose message keeps failing used to read just
 * "active"; the API and the node's customer drawer show the attempt, the next time and the error.
 */
export async function pendingRetries(
  db: { sql: SqlClient },
  instanceIds: readonly number[],
): Promise<Map<number, PendingRetry>> {
  const byInstance = new Map<number, PendingRetry>();
  if (instanceIds.length === 0) return byInstance;
  // A page of runs (at most 500 ids) or one: an IN list, well within either database's limits.
  const rows = await db.sql.all<Omit<PendingRetry, 'held'> & { status: string }>(
    `SELECT instanceId, nodeId, nodeType, attempts, nextAttemptAt, lastError, status FROM OutboxEffect
     WHERE instanceId IN (${placeholders(instanceIds.length)}) AND status IN ('pending', 'held') AND attempts > 0`,
    instanceIds,
  );
  for (const { status, ...row } of rows) {
    byInstance.set(row.instanceId, { ...row, nextAttemptAt: Number(row.nextAttemptAt), held: status === 'held' });
  }
  return byInstance;
}
