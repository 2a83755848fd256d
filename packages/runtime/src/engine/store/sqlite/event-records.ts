import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../../../logger.ts';
import { channelAttribution } from '../../channel-attribution.ts';
import { contactRecorder } from '../../contact-recorder.ts';
import { customerResolver } from '../../customer-resolver.ts';
import { eventConflictFinder } from '../../event-conflict.ts';
import { eventInserter } from '../../event-inserter.ts';
import { orderRecorder } from '../../order-recorder.ts';
import type { EventRecords } from '../port.ts';

/** Event intake's records on SQLite: each reads and writes as it goes, inside the batch. */
export function sqliteEventRecords(db: BetterSqlite3.Database, logger: Logger): EventRecords {
  return {
    resolveCustomer: customerResolver(db, logger),
    attributeChannel: channelAttribution(db),
    insertEvent: eventInserter(db),
    findEventConflict: eventConflictFinder(db),
    recordOrder: orderRecorder(db),
    recordContact: contactRecorder(db),
  };
}
