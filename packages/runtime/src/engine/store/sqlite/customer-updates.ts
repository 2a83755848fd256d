import type BetterSqlite3 from 'better-sqlite3';
import { applyAttributeUpdate } from '@siyu/shared';
import { isoDate } from '../../../db/iso-date.ts';
import type { EngineStore } from '../port.ts';

/**
 * Customer updates made inside a step (tags, attributes; see `customerUpdate` in the node SDK),
 * written in the batch's transaction with the step: the same rows `customer-tags.ts` and the core
 * executors write, so the outbox path and this one leave the customer alike. The attributes are
 * read and rewritten here; SQLite's one writer keeps anyone else from changing them in between.
 */
export function sqliteCustomerUpdates(db: BetterSqlite3.Database): Pick<EngineStore, 'updateCustomer'> {
  const removeTag = db.prepare<[string, string]>('DELETE FROM CustomerTag WHERE customerId = ? AND tag = ?');
  const addTag = db.prepare<[string, string, string, string]>(
    'INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const readAttributes = db.prepare<[string], { attributes: string }>('SELECT attributes FROM Customer WHERE id = ?');
  const writeAttributes = db.prepare<[string, string, string]>(
    'UPDATE Customer SET attributes = ?, updatedAt = ? WHERE id = ?',
  );
  return {
    updateCustomer(customerId, update, source, now) {
      const at = isoDate(now);
      for (const tag of update.removeTags ?? []) removeTag.run(customerId, tag);
      for (const tag of update.addTags ?? []) addTag.run(customerId, tag, source, at);
      if (!update.setAttributes && !update.unsetAttributes?.length) return;
      const stored = readAttributes.get(customerId);
      if (!stored) throw new Error(`customer ${customerId} does not exist`);
      const current = JSON.parse(stored.attributes) as Record<string, unknown>;
      writeAttributes.run(JSON.stringify(applyAttributeUpdate(current, update)), at, customerId);
    },
  };
}
