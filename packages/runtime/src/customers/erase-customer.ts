import { isoDate } from '../db/iso-date.ts';
import type { SqlClient } from '../db/sql-client.ts';

/**
 * Erases what identifies a customer, in one transaction: identities, name, attributes, tags, event
 * payloads and message recipients/contents. The row stays (with erasedAt) so journey counts and
 * order totals remain right; active instances end with reason "erased". Opt-out rows are kept: a
 * number that refused messages must never be messaged again. Returns null for an unknown id.
 */
export async function eraseCustomer(
  db: { sql: SqlClient },
  customerId: string,
  now: number,
): Promise<{ id: string; erasedAt: string } | null> {
  const erasedAt = isoDate(now);
  return db.sql.transaction(async (tx) => {
    const found = await tx.get('SELECT id FROM Customer WHERE id = ?', [customerId]);
    if (!found) return null;
    await tx.run(
      "UPDATE Customer SET displayName = NULL, attributes = '{}', ownerUserId = NULL, erasedAt = ?, updatedAt = ? WHERE id = ?",
      [erasedAt, erasedAt, customerId],
    );
    await tx.run('DELETE FROM CustomerIdentity WHERE customerId = ?', [customerId]);
    await tx.run('DELETE FROM CustomerTag WHERE customerId = ?', [customerId]);
    await tx.run("UPDATE Event SET data = '{}' WHERE customerId = ?", [customerId]);
    await tx.run("UPDATE Message SET recipient = '', content = '' WHERE customerId = ?", [customerId]);
    await tx.run('UPDATE OptOut SET customerId = NULL WHERE customerId = ?', [customerId]);
    const ended = await tx.run(
      "UPDATE Instance SET status = 'exited', exitReason = 'erased', waitingFor = NULL, endedAt = ?, updatedAt = ? WHERE customerId = ? AND status = 'active'",
      [erasedAt, erasedAt, customerId],
    );
    if (ended.changes > 0) {
      await tx.run(
        "DELETE FROM Timer WHERE instanceId IN (SELECT id FROM Instance WHERE customerId = ? AND exitReason = 'erased')",
        [customerId],
      );
      await tx.run(
        "UPDATE OutboxEffect SET status = 'skipped', lastError = 'customer erased' WHERE status = 'pending' AND instanceId IN (SELECT id FROM Instance WHERE customerId = ?)",
        [customerId],
      );
    }
    return { id: customerId, erasedAt };
  });
}
