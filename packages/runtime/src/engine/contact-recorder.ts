import type { JourneyEvent } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * What a WeCom contact tells us about the customer. The staff member a customer added owns the
 * relationship (staff tasks go to them, WeCom nodes send as them): the first one sticks; a
 * handover (wecom.handover) changes it explicitly, and a customer who deletes their owner loses
 * the owner. The customer's WeCom name (looked up by the callback) becomes their display name
 * unless they already have one (an imported CRM name is usually the real name).
 */
export function contactRecorder(sqlite: BetterSqlite3.Database) {
  const claim = sqlite.prepare('UPDATE Customer SET ownerUserId = ? WHERE id = ? AND ownerUserId IS NULL');
  const release = sqlite.prepare('UPDATE Customer SET ownerUserId = NULL WHERE id = ? AND ownerUserId = ?');
  const name = sqlite.prepare("UPDATE Customer SET displayName = ? WHERE id = ? AND coalesce(displayName, '') = ''");
  return (event: JourneyEvent, customerId: string): void => {
    if (event.type === 'wecom.contactAdded' && typeof event.data.name === 'string' && event.data.name.trim()) {
      name.run(event.data.name.trim().slice(0, 100), customerId);
    }
    const userId = event.data.userId;
    if (typeof userId !== 'string' || !userId) return;
    if (event.type === 'wecom.contactAdded') claim.run(userId, customerId);
    else if (event.type === 'wecom.contactDeleted') release.run(customerId, userId);
  };
}
