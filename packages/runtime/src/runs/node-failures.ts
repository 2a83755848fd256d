import type { SqlClient } from '../db/sql-client.ts';

export interface NodeFailure {
  instanceId: number;
  customerId: string;
  at: number;
  /** The package's reason code (noPhone, exhausted…), for the editor's words; absent for old rows. */
  code: string | null;
  /** The provider's or package's message. */
  error: string | null;
  /** The run ended at this node because of the failure: an operator may retry it once fixed. */
  retryable: boolean;
}

/**
 * The runs whose step failed at one node, newest first, each with its last failure: what the
 * node's customer drawer lists with the reason and a retry. Reads the StepLog
 * (journeyId, kind, nodeId, instanceId) index: only this node's error rows.
 */
export async function nodeFailures(
  db: { sql: SqlClient },
  input: { journeyId: string; nodeId: string; limit: number },
): Promise<{ total: number; items: NodeFailure[] }> {
  const counted = await db.sql.get<{ total: number }>(
    "SELECT count(DISTINCT instanceId) AS total FROM StepLog WHERE journeyId = ? AND kind = 'error' AND nodeId = ?",
    [input.journeyId, input.nodeId],
  );
  const rows = await db.sql.all<{
    instanceId: number;
    customerId: string;
    at: number;
    detail: string | null;
    status: string;
    nodeId: string | null;
    exitReason: string | null;
  }>(
    `SELECT l.instanceId, i.customerId, l.at, l.detail, i.status, i.nodeId, i.exitReason
     FROM StepLog l JOIN Instance i ON i.id = l.instanceId
     WHERE l.id IN (SELECT max(id) FROM StepLog WHERE journeyId = ? AND kind = 'error' AND nodeId = ? GROUP BY instanceId)
     ORDER BY l.id DESC LIMIT ?`,
    [input.journeyId, input.nodeId, input.limit],
  );
  const items = rows.map((r): NodeFailure => {
    const detail = (r.detail ? JSON.parse(r.detail) : {}) as { code?: unknown; error?: unknown };
    return {
      instanceId: r.instanceId,
      customerId: r.customerId,
      at: Number(r.at),
      code: typeof detail.code === 'string' ? detail.code : null,
      error: typeof detail.error === 'string' ? detail.error : null,
      retryable: r.status === 'exited' && r.nodeId === input.nodeId && r.exitReason === `effectFailed:${input.nodeId}`,
    };
  });
  return { total: counted?.total ?? 0, items };
}
