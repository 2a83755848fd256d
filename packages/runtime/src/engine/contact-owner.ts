import type { JourneyEvent } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * The staff member a customer added on WeCom owns the relationship (staff tasks go to them, WeCom
 * nodes send as them). The first one sticks; a handover (wecom.handover) changes it explicitly, and
 * a customer who deletes their owner loses the owner.
 */
export function contactOwnerRecorder(sqlite: BetterSqlite3.Database) {
  const claim = sqlite.prepare('UPDATE Customer SET ownerUserId = ? WHERE id = ? AND ownerUserId IS NULL');
  const release = sqlite.prepare('UPDATE Customer SET ownerUserId = NULL WHERE id = ? AND ownerUserId = ?');
  return (event: JourneyEvent, customerId: string): void => {
    const userId = event.data.userId;
    if (typeof userId !== 'string' || !userId) return;
    if (event.type === 'wecom.contactAdded') claim.run(userId, customerId);
    else if (event.type === 'wecom.contactDeleted') release.run(customerId, userId);
  };
}
