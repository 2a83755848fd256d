// Steps whose outcome is unknown: an earlier attempt may have sent (the process died or the
// answer was lost) and the provider cannot tell, so the dispatcher parked the effect in status
// "unknown" and the customer waits at the node. Operators list them and decide: resend (the
// executor sends again with the same idempotency key), mark sent, or skip (the node's skipped
// port, or on as if sent when none is drawn). Each decision is an OutcomeResolution row; the
// dispatcher takes it when the effect runs again (engine/outcome-statements.ts).
import { type ApiErrorDetail, apiErrorDetail } from '@siyu/shared';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient } from '../db/sql-client.ts';
import type { OutcomeResolutionAction } from '../engine/outcome-statements.ts';

export interface UnknownOutcome {
  effectId: number;
  /** The step's idempotency key (instance:node:visit), also the provider's OutId. */
  key: string;
  journeyId: string;
  nodeId: string;
  nodeType: string;
  instanceId: number;
  customerId: string;
  attempts: number;
  /** Why the outcome is unknown (the executor's message). */
  reason: string | null;
  /** When the step was first queued (ISO). */
  since: string;
  /** The message claimed for this step, when the node sends one. */
  message: { provider: string; recipient: string; content: string; claimedAt: number } | null;
}

/** The step's columns as answered, and the claimed message's (all null when there is none). */
interface Row extends Omit<UnknownOutcome, 'message'> {
  provider: string | null;
  recipient: string | null;
  content: string | null;
  claimedAt: number | bigint | null;
}

const PARKED_JOIN = 'FROM OutboxEffect e JOIN Instance i ON i.id = e.instanceId';
// Only customers still at the node: one that left (exit condition, migration) no longer waits.
const PARKED_WHERE = "WHERE e.status = 'unknown' AND i.status = 'active' AND i.nodeId = e.nodeId";

/** Parked steps of a journey (optionally one node), oldest first. */
export async function listUnknownOutcomes(
  db: { sql: SqlClient },
  filter: { journeyId: string; nodeId?: string; limit: number },
): Promise<UnknownOutcome[]> {
  const rows = await db.sql.all<Row>(
    `SELECT e.id AS effectId, e.idempotencyKey AS key, i.journeyId, e.nodeId, e.nodeType, e.instanceId, i.customerId,
            e.attempts, e.lastError AS reason, e.createdAt AS since,
            m.provider, m.recipient, m.content, m.sentAt AS claimedAt
     ${PARKED_JOIN} LEFT JOIN Message m ON m.idempotencyKey = e.idempotencyKey
     ${PARKED_WHERE} AND i.journeyId = ? ${filter.nodeId ? 'AND e.nodeId = ?' : ''}
     ORDER BY e.id LIMIT ?`,
    [filter.journeyId, ...(filter.nodeId ? [filter.nodeId] : []), filter.limit],
  );
  return rows.map(({ provider, recipient, content, claimedAt, ...step }) => ({
    ...step,
    message:
      provider !== null
        ? { provider, recipient: recipient ?? '', content: content ?? '', claimedAt: Number(claimedAt) }
        : null,
  }));
}

/** The statement counting parked steps per node of a journey (optionally one version). */
function countByNodeQuery(journeyId: string, versionId?: string): { sql: string; params: string[] } {
  return {
    sql: `SELECT e.nodeId, count(*) AS n ${PARKED_JOIN} ${PARKED_WHERE} AND i.journeyId = ?${versionId ? ' AND i.versionId = ?' : ''} GROUP BY e.nodeId`,
    params: versionId ? [journeyId, versionId] : [journeyId],
  };
}

/** Parked steps per node of a journey (optionally one version), for the canvas. */
export async function countUnknownOutcomesByNode(
  sql: SqlClient,
  journeyId: string,
  versionId?: string,
): Promise<Map<string, number>> {
  const query = countByNodeQuery(journeyId, versionId);
  const rows = await sql.all<{ nodeId: string; n: number }>(query.sql, query.params);
  return new Map(rows.map((r) => [r.nodeId, r.n]));
}

export class UnknownOutcomeError extends Error {
  constructor(
    readonly code: 'notFound' | 'notUnknown',
    message: string,
  ) {
    super(message);
    this.name = 'UnknownOutcomeError';
  }

  /** Its words for the operator (API_ERROR_MESSAGES). */
  get detail(): ApiErrorDetail {
    return apiErrorDetail(this.code === 'notFound' ? 'outcomes.stepGone' : 'outcomes.alreadyDecided');
  }
}

/**
 * Records an operator's decision and hands the step back to the dispatcher. A message row still
 * "sending" follows the decision (mark sent → sent; skip → failed, with the reason), so counts and
 * the sandbox inbox agree; on resend the executor updates it when the provider answers.
 */
export async function resolveUnknownOutcome(
  db: { sql: SqlClient },
  input: { effectId: number; action: OutcomeResolutionAction; decidedBy: string; note?: string; now: number },
): Promise<{ effectId: number; action: OutcomeResolutionAction }> {
  return db.sql.transaction(async (tx) => {
    // Handed back first, guarded by its status: of two operators deciding at once (PostgreSQL:
    // two servers), the second waits on the row and then finds it decided.
    const effect = await tx.get<{ key: string; nodeId: string; journeyId: string }>(
      `UPDATE OutboxEffect SET status = 'pending', nextAttemptAt = ? WHERE id = ? AND status = 'unknown'
       RETURNING idempotencyKey AS key, nodeId, (SELECT journeyId FROM Instance WHERE id = instanceId) AS journeyId`,
      [input.now, input.effectId],
    );
    if (!effect) {
      const found = await tx.get<{ status: string }>('SELECT status FROM OutboxEffect WHERE id = ?', [input.effectId]);
      if (!found) {
        throw new UnknownOutcomeError('notFound', `步骤 ${input.effectId} 不存在 / step ${input.effectId} not found`);
      }
      throw new UnknownOutcomeError(
        'notUnknown',
        `步骤 ${input.effectId} 不在"结果未知"状态（${found.status}）/ step ${input.effectId} is ${found.status}, not waiting for a decision`,
      );
    }
    await tx.run(
      `INSERT INTO OutcomeResolution (effectKey, journeyId, nodeId, action, decidedBy, note, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [
        effect.key,
        effect.journeyId,
        effect.nodeId,
        input.action,
        input.decidedBy,
        input.note ?? null,
        isoDate(input.now),
      ],
    );
    if (input.action === 'markSent') {
      await tx.run("UPDATE Message SET status = 'sent' WHERE idempotencyKey = ? AND status = 'sending'", [effect.key]);
    } else if (input.action === 'skip') {
      await tx.run(
        "UPDATE Message SET status = 'failed', error = 'outcome unknown; skipped by operator' WHERE idempotencyKey = ? AND status = 'sending'",
        [effect.key],
      );
    }
    return { effectId: input.effectId, action: input.action };
  });
}
