import type { Database } from '../db/database.ts';

/**
 * Erases what identifies a customer, in one transaction: identities, name, attributes, tags, event
 * payloads and message recipients/contents. The row stays (with erasedAt) so journey counts and
 * order totals remain right; active instances end with reason "erased". Opt-out rows are kept: a
 * number that refused messages must never be messaged again. Returns null for an unknown id.
 */
export function eraseCustomer(db: Database, customerId: string, now: number): { id: string; erasedAt: string } | null {
  const s = db.sqlite;
  const erasedAt = new Date(now).toISOString().replace('Z', '+00:00');
  return s.transaction(() => {
    const found = s.prepare('SELECT id FROM Customer WHERE id = ?').get(customerId);
    if (!found) return null;
    s.prepare(
      "UPDATE Customer SET displayName = NULL, attributes = '{}', ownerUserId = NULL, erasedAt = ?, updatedAt = ? WHERE id = ?",
    ).run(erasedAt, erasedAt, customerId);
    s.prepare('DELETE FROM CustomerIdentity WHERE customerId = ?').run(customerId);
    s.prepare('DELETE FROM CustomerTag WHERE customerId = ?').run(customerId);
    s.prepare("UPDATE Event SET data = '{}' WHERE customerId = ?").run(customerId);
    s.prepare("UPDATE Message SET recipient = '', content = '' WHERE customerId = ?").run(customerId);
    s.prepare('UPDATE OptOut SET customerId = NULL WHERE customerId = ?').run(customerId);
    const ended = s
      .prepare(
        "UPDATE Instance SET status = 'exited', exitReason = 'erased', waitingFor = NULL, endedAt = ?, updatedAt = ? WHERE customerId = ? AND status = 'active'",
      )
      .run(erasedAt, erasedAt, customerId);
    if (ended.changes > 0) {
      s.prepare(
        "DELETE FROM Timer WHERE instanceId IN (SELECT id FROM Instance WHERE customerId = ? AND exitReason = 'erased')",
      ).run(customerId);
      s.prepare(
        "UPDATE OutboxEffect SET status = 'skipped', lastError = 'customer erased' WHERE status = 'pending' AND instanceId IN (SELECT id FROM Instance WHERE customerId = ?)",
      ).run(customerId);
    }
    return { id: customerId, erasedAt };
  })();
}
