import type { AppDatabase } from '../db/app-database.ts';
import type { Database } from '../db/database.ts';
import type { PostgresDatabase } from '../db/postgres-database.ts';
import { execute, query, runOnSqlite, runVia, type SqlProgram } from '../db/sql-program.ts';

export interface ErasedCustomer {
  id: string;
  erasedAt: string;
}

/**
 * Erases what identifies a customer, in one transaction: identities, name, attributes, tags, event
 * payloads and message recipients/contents. The row stays (with erasedAt) so journey counts and
 * order totals remain right; active instances end with reason "erased". Opt-out rows are kept: a
 * number that refused messages must never be messaged again. Returns null for an unknown id.
 * At once on SQLite (its connection's transaction), a promise on PostgreSQL.
 */
export function eraseCustomer(db: Database, customerId: string, now: number): ErasedCustomer | null;
export function eraseCustomer(db: PostgresDatabase, customerId: string, now: number): Promise<ErasedCustomer | null>;
export function eraseCustomer(
  db: AppDatabase,
  customerId: string,
  now: number,
): ErasedCustomer | null | Promise<ErasedCustomer | null>;
export function eraseCustomer(
  db: AppDatabase,
  customerId: string,
  now: number,
): ErasedCustomer | null | Promise<ErasedCustomer | null> {
  if (db.dialect === 'sqlite')
    return db.sqlite.transaction(() => runOnSqlite(db.sqlite, eraseProgram(customerId, now)))();
  return db.sql.transaction((tx) => runVia(tx, eraseProgram(customerId, now)));
}

function* eraseProgram(customerId: string, now: number): SqlProgram<ErasedCustomer | null> {
  const erasedAt = new Date(now).toISOString().replace('Z', '+00:00');
  const [found] = yield* query('SELECT id FROM Customer WHERE id = ?', [customerId]);
  if (!found) return null;
  yield* execute(
    "UPDATE Customer SET displayName = NULL, attributes = '{}', ownerUserId = NULL, erasedAt = ?, updatedAt = ? WHERE id = ?",
    [erasedAt, erasedAt, customerId],
  );
  yield* execute('DELETE FROM CustomerIdentity WHERE customerId = ?', [customerId]);
  yield* execute('DELETE FROM CustomerTag WHERE customerId = ?', [customerId]);
  yield* execute("UPDATE Event SET data = '{}' WHERE customerId = ?", [customerId]);
  yield* execute("UPDATE Message SET recipient = '', content = '' WHERE customerId = ?", [customerId]);
  yield* execute('UPDATE OptOut SET customerId = NULL WHERE customerId = ?', [customerId]);
  const ended = yield* execute(
    "UPDATE Instance SET status = 'exited', exitReason = 'erased', waitingFor = NULL, endedAt = ?, updatedAt = ? WHERE customerId = ? AND status = 'active'",
    [erasedAt, erasedAt, customerId],
  );
  if (ended > 0) {
    yield* execute(
      "DELETE FROM Timer WHERE instanceId IN (SELECT id FROM Instance WHERE customerId = ? AND exitReason = 'erased')",
      [customerId],
    );
    yield* execute(
      "UPDATE OutboxEffect SET status = 'skipped', lastError = 'customer erased' WHERE status = 'pending' AND instanceId IN (SELECT id FROM Instance WHERE customerId = ?)",
      [customerId],
    );
  }
  return { id: customerId, erasedAt };
}
