import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from './migrate.ts';
import { cleanupAfterEach, databaseBeforeMigration } from './scratch-database.test-helper.ts';

const cleanups = cleanupAfterEach();

describe('event_entry_code migration', () => {
  it('copies data.code of channel events stored before it into Event.entryCode, and only theirs', async () => {
    // The committed migrations up to (not including) this one: a database as it was before.
    const { file, target } = await databaseBeforeMigration('event_entry_code', cleanups);

    const old = new BetterSqlite3(file);
    const insert = old.prepare(
      'INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data) VALUES (?, ?, ?, 1, 1, ?)',
    );
    insert.run('scan', 'qr.scanned', null, '{"code":"card-a","channelId":"ch"}');
    insert.run('entered', 'channel.entered', 'c1', '{"code":"card-b"}');
    insert.run('click', 'link.clicked', 'c1', '{"code":"sms-1"}');
    insert.run('order', 'order.placed', 'c1', '{"code":"PROMO","orderId":"o1"}'); // not a channel event
    insert.run('odd', 'qr.scanned', null, '{"code":42}'); // not a code
    old.close();

    expect((await applyMigrations(`file:${file}`))[0]).toBe(target); // and any later ones
    const db = new BetterSqlite3(file, { readonly: true });
    const codes = db.prepare('SELECT externalId, entryCode FROM Event ORDER BY id').all();
    db.close();
    expect(codes).toEqual([
      { externalId: 'scan', entryCode: 'card-a' },
      { externalId: 'entered', entryCode: 'card-b' },
      { externalId: 'click', entryCode: 'sms-1' },
      { externalId: 'order', entryCode: null },
      { externalId: 'odd', entryCode: null },
    ]);
  });
});
