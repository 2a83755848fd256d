import { isoDate } from '../db/iso-date.ts';
import type { SqlClient } from '../db/sql-client.ts';
import type { Clock } from '../engine/api.ts';

/**
 * Adds and removes a customer's tags in one transaction (set semantics: a retried step changes
 * nothing). Every node package that tags (core, WeCom's mirror) writes through this.
 */
export type TagWriter = (
  customerId: string,
  add: readonly string[],
  remove: readonly string[],
  source: string,
) => Promise<void>;

export function customerTagWriter(sql: SqlClient, clock: Clock): TagWriter {
  return (customerId, add, remove, source) =>
    sql.transaction(async (tx) => {
      const at = isoDate(clock.now());
      for (const tag of remove)
        await tx.run('DELETE FROM CustomerTag WHERE customerId = ? AND tag = ?', [customerId, tag]);
      for (const tag of add) {
        await tx.run(
          'INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [customerId, tag, source, at],
        );
      }
    });
}
