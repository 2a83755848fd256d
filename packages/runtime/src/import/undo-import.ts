import { codedError } from '@siyu/shared';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient } from '../db/sql-client.ts';
import { placeholders } from '../db/sql-dialect.ts';
import { importedOrderData } from './write-chunks.ts';

/** Customers undone per transaction: the event loop turns between them. */
const UNDO_CHUNK = 1000;

interface TraceRow {
  customerId: string;
  created: number | boolean;
  addedTags: string;
  previousAttributes: string;
  previousName: string | null;
}

export interface UndoResult {
  /** Customers this import created, now removed. */
  removed: number;
  /** Customers it updated whose added tags were removed and changed attributes put back. */
  restored: number;
}

/** How many of the batch's customers entered a journey: any run of one it created, a run since the import of one it updated. */
export async function customersEnteredSince(sql: SqlClient, batchId: string, importedAt: Date): Promise<number> {
  const row = await sql.get<{ n: number }>(
    `SELECT count(DISTINCT ibc.customerId) AS n FROM ImportBatchCustomer ibc
     JOIN Instance i ON i.customerId = ibc.customerId
     WHERE ibc.batchId = ? AND (ibc.created = ? OR i.enteredAt >= ?)`,
    [batchId, true, importedAt],
  );
  return Number(row?.n ?? 0);
}

/**
 * Takes back what a batch wrote, as recorded in ImportBatchCustomer: removes the customers it
 * created (with their identities, tags and orders), and on the ones it updated removes the tags it
 * added, puts back the attributes and name it changed, and removes the orders it wrote. Runs in
 * chunks; each chunk's trace rows go with it, so an interrupted undo continues where it stopped.
 */
export async function removeImportWrites(sql: SqlClient, batchId: string): Promise<UndoResult> {
  const result: UndoResult = { removed: 0, restored: 0 };
  await sql.run('DELETE FROM "Order" WHERE data = ?', [importedOrderData(batchId)]);
  for (;;) {
    const done = await sql.transaction(async (tx) => {
      const traces = await tx.all<TraceRow>(
        `SELECT customerId, created, addedTags, previousAttributes, previousName FROM ImportBatchCustomer
         WHERE batchId = ? ORDER BY customerId LIMIT ${UNDO_CHUNK}`,
        [batchId],
      );
      if (traces.length === 0) return true;
      const created = traces.filter((t) => Boolean(t.created)).map((t) => t.customerId);
      if (created.length > 0) {
        const ids = placeholders(created.length);
        await tx.run(`DELETE FROM "Order" WHERE customerId IN (${ids})`, created);
        await tx.run(`DELETE FROM CustomerIdentity WHERE customerId IN (${ids})`, created);
        await tx.run(`DELETE FROM CustomerTag WHERE customerId IN (${ids})`, created);
        await tx.run(`DELETE FROM Customer WHERE id IN (${ids})`, created);
        result.removed += created.length;
      }
      for (const t of traces.filter((t) => !t.created)) {
        await restoreCustomer(tx, t);
        result.restored++;
      }
      const ids = traces.map((t) => t.customerId);
      await tx.run(
        `DELETE FROM ImportBatchCustomer WHERE batchId = ? AND customerId IN (${placeholders(ids.length)})`,
        [batchId, ...ids],
      );
      return false;
    });
    if (done) return result;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** One updated customer back as it was before the import: its added tags off, its changed attributes and name back. */
async function restoreCustomer(tx: SqlClient, t: TraceRow): Promise<void> {
  const addedTags = JSON.parse(t.addedTags) as string[];
  if (addedTags.length > 0) {
    await tx.run(`DELETE FROM CustomerTag WHERE customerId = ? AND tag IN (${placeholders(addedTags.length)})`, [
      t.customerId,
      ...addedTags,
    ]);
  }
  const previous = JSON.parse(t.previousAttributes) as Record<string, unknown>;
  const customer = await tx.get<{ attributes: string; displayName: string | null }>(
    'SELECT attributes, displayName FROM Customer WHERE id = ?',
    [t.customerId],
  );
  if (!customer) return;
  const attributes = JSON.parse(customer.attributes) as Record<string, unknown>;
  for (const [key, value] of Object.entries(previous)) {
    if (value === null) delete attributes[key];
    else Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  }
  const name = t.previousName === null ? customer.displayName : (JSON.parse(t.previousName) as string | null);
  await tx.run('UPDATE Customer SET attributes = ?, displayName = ? WHERE id = ?', [
    JSON.stringify(attributes),
    name,
    t.customerId,
  ]);
}

/**
 * Undoes a committed import whose customers have not entered a journey: refused with
 * import.undoEntered naming how many did (their runs would lose their customer), and with
 * import.undoNotCommitted for an import still running, rejected, failed or already undone.
 */
export async function undoImport(
  sql: SqlClient,
  batchId: string,
  by: { undoneBy: string; now: number },
): Promise<UndoResult> {
  const batch = await sql.get<{ status: string; createdAt: string | Date }>(
    'SELECT status, createdAt FROM ImportBatch WHERE id = ?',
    [batchId],
  );
  if (!batch) throw codedError('NOT_FOUND', 'import.batchUnknown', { id: batchId });
  if (batch.status !== 'committed') throw codedError('CONFLICT', 'import.undoNotCommitted', { status: batch.status });
  const entered = await customersEnteredSince(sql, batchId, new Date(batch.createdAt));
  if (entered > 0) throw codedError('PRECONDITION_FAILED', 'import.undoEntered', { count: entered });
  // Marked first: a second undo meanwhile is refused, and the import's rows are no longer "committed".
  const claimed = await sql.run(
    `UPDATE ImportBatch SET status = 'undone', undoneAt = ?, undoneBy = ? WHERE id = ? AND status = 'committed'`,
    [isoDate(by.now), by.undoneBy, batchId],
  );
  if (claimed.changes === 0) throw codedError('CONFLICT', 'import.undoNotCommitted', { status: 'undone' });
  return removeImportWrites(sql, batchId);
}
