// An event whose identities name two customers merges them into the older one as it is taken in,
// on SQLite (as it resolves the customer) and PostgreSQL (while the batch loads): the event goes
// to the survivor, and where both ran the same journey one run goes on.
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import { benchmarkJourney, publishJourney } from '../../testing/fixtures.ts';
import { publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import { recordingExecutors } from '../../testing/store-engine.ts';
import { freshBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';

const cleanups = cleanupAfterEach();

describe.each(freshBackends('merge_intake', cleanups))('merges on intake on %s', (_name, openDb) => {
  it('merges the customers one event names into the older, and keeps one run per journey', async () => {
    const db = await openDb();
    if (db.dialect === 'sqlite') publishJourney(db.sqlite, 'j1', benchmarkJourney());
    else await publishJourneyPg(db.pool, 'j1', benchmarkJourney());
    const customer = async (id: string, day: number, kind: string, value: string) => {
      const at = new Date(Date.UTC(2026, 0, day)).toISOString();
      await db.sql.run("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)", [
        id,
        at,
        at,
      ]);
      await db.sql.run('INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES (?, ?, ?, ?)', [
        kind,
        value,
        id,
        at,
      ]);
    };
    await customer('imported', 1, 'phone', '+8613800000001');
    await customer('wecom', 2, 'wecomExternalUserId', 'wm1');
    const clock = new ManualClock();
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage]),
      executors: recordingExecutors([]),
      clock,
      logger: createLogger('silent'),
    });
    cleanups.push(() => engine.stop());
    await engine.enrollMany('j1', ['imported', 'wecom']);

    const outcome = await engine.ingestEvent({
      id: 'contact-1',
      type: 'wecom.contactAdded',
      identities: { phone: '+8613800000001', wecomExternalUserId: 'wm1' },
      occurredAt: new Date(clock.now()),
      data: { userId: 'zhang', name: ' 王芳 ' },
    });
    expect(outcome).toMatchObject({ status: 'accepted', customerId: 'imported' });
    expect(await db.sql.all('SELECT id FROM Customer')).toEqual([{ id: 'imported' }]);
    expect(await db.sql.all('SELECT kind, customerId FROM CustomerIdentity ORDER BY kind')).toEqual([
      { kind: 'phone', customerId: 'imported' },
      { kind: 'wecomExternalUserId', customerId: 'imported' },
    ]);
    expect(await db.sql.all('SELECT mergedId, customerId, reason FROM CustomerMerge')).toEqual([
      { mergedId: 'wecom', customerId: 'imported', reason: 'identities' },
    ]);
    expect(await db.sql.all('SELECT customerId, status, exitReason FROM Instance ORDER BY id')).toEqual([
      { customerId: 'imported', status: 'active', exitReason: null },
      { customerId: 'imported', status: 'exited', exitReason: 'merged' },
    ]);
    // The contact's staff member owns the customer; its WeCom name becomes the display name.
    const owner = () => db.sql.all('SELECT displayName, ownerUserId FROM Customer');
    expect(await owner()).toEqual([{ displayName: '王芳', ownerUserId: 'zhang' }]);
    const contact = (id: string, type: string, userId: string) =>
      engine.ingestEvent({ id, type, customerId: 'imported', occurredAt: new Date(clock.now()), data: { userId } });
    await contact('added-2', 'wecom.contactAdded', 'li'); // the first owner sticks
    await contact('deleted-1', 'wecom.contactDeleted', 'li'); // not the owner: nothing changes
    expect(await owner()).toEqual([{ displayName: '王芳', ownerUserId: 'zhang' }]);
    await contact('deleted-2', 'wecom.contactDeleted', 'zhang');
    expect(await owner()).toEqual([{ displayName: '王芳', ownerUserId: null }]);
    // An event sent later with the merged id reaches the survivor.
    const late = await engine.ingestEvent({
      id: 'late-1',
      type: 'order.placed',
      customerId: 'wecom',
      occurredAt: new Date(clock.now()),
    });
    expect(late).toMatchObject({ status: 'accepted', customerId: 'imported' });
  });
});
