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
    const told = contactFacts(event);
    if (told.name) name.run(told.name, customerId);
    if (told.claimBy) claim.run(told.claimBy, customerId);
    if (told.releaseBy) release.run(customerId, told.releaseBy);
  };
}

/**
 * What a contact event tells (the rules above, for both stores): a name for a customer without
 * one, the staff member who claims an unowned customer, the one whose deletion releases them.
 */
export function contactFacts(event: JourneyEvent): { name?: string; claimBy?: string; releaseBy?: string } {
  const facts: { name?: string; claimBy?: string; releaseBy?: string } = {};
  if (event.type === 'wecom.contactAdded' && typeof event.data.name === 'string' && event.data.name.trim()) {
    facts.name = event.data.name.trim().slice(0, 100);
  }
  const userId = event.data.userId;
  if (typeof userId !== 'string' || !userId) return facts;
  if (event.type === 'wecom.contactAdded') facts.claimBy = userId;
  else if (event.type === 'wecom.contactDeleted') facts.releaseBy = userId;
  return facts;
}
