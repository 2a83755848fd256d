import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../engine/api.ts';

import { isoDate } from '../db/iso-date.ts';

/**
 * Adds and removes a customer's tags in one transaction (set semantics: a retried step changes
 * nothing). Every node package that tags (core, WeCom's mirror) writes through this.
 */
export type TagWriter = (customerId: string, add: readonly string[], remove: readonly string[], source: string) => void;

export function customerTagWriter(sqlite: BetterSqlite3.Database, clock: Clock): TagWriter {
  const addTag = sqlite.prepare(
    'INSERT OR IGNORE INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, ?, ?, ?)',
  );
  const removeTag = sqlite.prepare('DELETE FROM CustomerTag WHERE customerId = ? AND tag = ?');
  return sqlite.transaction((customerId: string, add: readonly string[], remove: readonly string[], source: string) => {
    const at = isoDate(clock.now());
    for (const tag of remove) removeTag.run(customerId, tag);
    for (const tag of add) addTag.run(customerId, tag, source, at);
  });
}
