import type BetterSqlite3 from 'better-sqlite3';
import { isoDate } from '../../../db/iso-date.ts';
import type { EngineStore, InstanceRow } from '../port.ts';
import { STEP_LOG_COLUMNS, STEP_ROWS_PER_INSERT, type Statements } from './statements.ts';

export type EngineWriter = Pick<
  EngineStore,
  | 'batch'
  | 'savepoint'
  | 'insertInstance'
  | 'writeStep'
  | 'failInstance'
  | 'appendStepLog'
  | 'moveToVersion'
  | 'markEventProcessed'
>;

/**
 * The writer and committer half of the SQLite store: one better-sqlite3 transaction per batch (a
 * nested batch is a savepoint of the outer one). A step's rows are written as the step is handed
 * over; its step-log rows are collected and written with multi-row INSERTs just before the batch
 * commits.
 */
export function sqliteWriter(db: BetterSqlite3.Database, st: Statements): EngineWriter {
  /** Step-log rows of the open batch (flat, STEP_LOG_COLUMNS per row); undefined outside one. */
  let pendingLog: unknown[] | undefined;

  function flushLog(values: unknown[]): void {
    const width = STEP_LOG_COLUMNS * STEP_ROWS_PER_INSERT;
    let i = 0;
    for (; i + width <= values.length; i += width) st.insertSteps.run(...values.slice(i, i + width));
    for (; i < values.length; i += STEP_LOG_COLUMNS) st.insertStep.run(...values.slice(i, i + STEP_LOG_COLUMNS));
  }

  /** Runs `work` in a (nested) transaction; step-log rows it collected are undone if it throws. */
  function undoLogOnThrow<T>(work: () => T): T {
    const mark = pendingLog?.length ?? 0;
    try {
      return db.transaction(work)();
    } catch (error) {
      if (pendingLog) pendingLog.length = mark;
      throw error;
    }
  }

  function appendStepLog(
    row: InstanceRow,
    at: number,
    kind: string,
    nodeId: string | null,
    fromNodeId: string | null,
    port: string | null,
    detail: string | null,
  ): void {
    if (pendingLog) {
      pendingLog.push(row.id, row.journeyId, row.versionId, at, kind, nodeId, fromNodeId, port, detail);
      return;
    }
    st.insertStep.run(row.id, row.journeyId, row.versionId, at, kind, nodeId, fromNodeId, port, detail);
  }

  return {
    batch(work) {
      if (pendingLog) return undoLogOnThrow(work); // joins the outer batch
      return db.transaction(() => {
        pendingLog = [];
        try {
          const result = work();
          // Its transaction would commit before the promise settled: SQLite's loads never return one.
          if (result instanceof Promise) throw new Error('a SQLite batch must run synchronously');
          flushLog(pendingLog);
          return result;
        } finally {
          pendingLog = undefined;
        }
      })();
    },
    savepoint: undoLogOnThrow,

    insertInstance(i) {
      const at = isoDate(i.at);
      const info = st.insertInstance.run(
        i.journeyId,
        i.versionId,
        i.customerId,
        i.status,
        i.holdout ? 1 : 0,
        i.snapshot,
        i.nodeId,
        i.waitingFor,
        i.exitReason,
        i.goal ? at : null,
        at,
        at,
        i.ended ? at : null,
      );
      return Number(info.lastInsertRowid);
    },

    writeStep(row, plan, now, inserted) {
      const at = isoDate(now);
      for (const [kind, nodeId, fromNodeId, port, detail] of plan.logs)
        appendStepLog(row, now, kind, nodeId, fromNodeId, port, detail == null ? null : JSON.stringify(detail));
      for (const [nodeId, nodeType, key] of plan.effects)
        st.insertOutbox.run(row.id, nodeId, nodeType, `${row.id}:${key}`, '{}', now, at);
      for (const [dueAt, key] of plan.timers) st.insertTimer.run(row.id, dueAt, key, at);
      if (plan.dropTimer && !inserted) st.deleteTimer.run(row.id, plan.dropTimer);
      const ended = plan.status !== 'active';
      if (ended && !inserted) st.deleteTimersOf.run(row.id);
      if (inserted) return; // inserted in the planned state: nothing to update
      if (!ended && !plan.goal) {
        // Most steps move an active instance from node to node: status, goal and end stay as they
        // are, and leaving them out of the SET spares SQLite the (versionId, status) index update.
        st.moveInstance.run(plan.stored, plan.nodeId, plan.waitingFor, at, row.id);
        return;
      }
      st.updateInstance.run(
        plan.stored,
        plan.nodeId,
        plan.waitingFor,
        plan.status,
        plan.exitReason,
        plan.goal ? at : null,
        at,
        ended ? at : null,
        row.id,
      );
    },

    failInstance(row, reason, now) {
      const at = isoDate(now);
      st.updateInstance.run(row.snapshot, row.nodeId, null, 'failed', reason, null, at, at, row.id);
      st.deleteTimersOf.run(row.id);
    },

    appendStepLog,

    moveToVersion(instanceId, versionId) {
      st.deleteTimersOf.run(instanceId);
      st.moveInstanceVersion.run(versionId, instanceId);
    },

    markEventProcessed(externalId, now) {
      st.markEventProcessed.run(now, externalId);
    },
  };
}
