import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corePackage } from '@siyu/nodes-core';
import { createNodeRegistry } from '@siyu/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine, type DurableEngine } from './engine.ts';
import { orderAmountCents } from './order-recorder.ts';

const DAY = 86_400_000;
let dir: string;
let db: Database;
let clock: ManualClock;
let engine: DurableEngine;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'orders-rfm-'));
  db = await openDatabase(join(dir, 'test.db'));
  clock = new ManualClock(Date.UTC(2026, 5, 1, 2, 0, 0));
  engine = createEngine({
    db,
    registry: createNodeRegistry([corePackage]),
    executors: [],
    clock,
    logger: createLogger('silent'),
  });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const order = (id: string, customerId: string, data: Record<string, unknown>, type = 'order.placed') =>
  engine.ingestEvent({ id, type, customerId, occurredAt: new Date(clock.now()), data });

describe('orders and RFM', () => {
  it('reads amounts in cents or yuan', () => {
    expect(orderAmountCents({ amountCents: 1990 })).toBe(1990);
    expect(orderAmountCents({ amount: '99.9' })).toBe(9990);
    expect(orderAmountCents({ amount: 12 })).toBe(1200);
    expect(orderAmountCents({ amount: 'lots' })).toBe(0);
    expect(orderAmountCents({})).toBe(0);
  });

  it('records one Order row per shop order (placed then paid is one order), attributed to the first-touch channel', async () => {
    addCustomers(db.sqlite, 'c', 0, 1);
    db.sqlite.prepare("UPDATE Customer SET channelCode = 'card-a' WHERE id = 'c0'").run();
    await order('e1', 'c0', { orderId: 'T1001', amount: '59.90' });
    await order('e2', 'c0', { orderId: 'T1001', amount: '59.90' }, 'order.paid');
    await order('e1', 'c0', { orderId: 'T1001', amount: '59.90' }); // duplicate event id
    await order('e3', 'c0', { amountCents: 100 });
    const rows = db.sqlite.prepare('SELECT id, amountCents, channelCode FROM "Order" ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'T1001', amountCents: 5990, channelCode: 'card-a' },
      { id: 'e3', amountCents: 100, channelCode: 'card-a' },
    ]);
  });

  it('a branch on rfm.* sees scores refreshed from orders', async () => {
    addCustomers(db.sqlite, 'c', 0, 10);
    // c0..c4 order; c4 the most, most recently, and for the most money → champions.
    for (let i = 0; i < 5; i++) {
      clock.advance(DAY);
      for (let k = 0; k <= i; k++) await order(`o${i}-${k}`, `c${i}`, { amountCents: 1000 * (i + 1) });
    }
    publishJourney(
      db.sqlite,
      'rfm',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          [
            'route',
            'core.branch',
            {
              cases: [
                {
                  id: 'champ',
                  label: '高价值',
                  filter: { conditions: [{ field: 'rfm.segment', op: 'eq', value: 'champions' }] },
                },
                {
                  id: 'never',
                  label: '未购',
                  filter: { conditions: [{ field: 'rfm.orderCount', op: 'eq', value: 0 }] },
                },
              ],
            },
          ],
          ['vip', 'core.exit', { reason: 'vip' }],
          ['none', 'core.exit', { reason: 'none' }],
          ['other', 'core.exit', { reason: 'other' }],
        ],
        [
          ['entry', 'next', 'route'],
          ['route', 'champ', 'vip'],
          ['route', 'never', 'none'],
          ['route', 'else', 'other'],
        ],
      ),
    );
    await engine.tick(); // refreshes RFM before anyone is enrolled
    await engine.enrollMany('rfm', ['c0', 'c4', 'c9']);
    await engine.tick();
    const at = Object.fromEntries(
      (
        db.sqlite.prepare('SELECT customerId, nodeId FROM Instance').all() as { customerId: string; nodeId: string }[]
      ).map((r) => [r.customerId, r.nodeId]),
    );
    expect(at).toEqual({ c0: 'other', c4: 'vip', c9: 'none' });
    const stored = JSON.parse(
      (db.sqlite.prepare("SELECT rfm FROM Customer WHERE id = 'c4'").get() as { rfm: string }).rfm,
    );
    expect(stored).toMatchObject({
      recency: 5,
      frequency: 5,
      monetary: 5,
      segment: 'champions',
      orderCount: 5,
      totalCents: 25000,
    });
    expect(db.sqlite.prepare("SELECT rfm FROM Customer WHERE id = 'c9'").get()).toEqual({ rfm: null });

    // Orders removed (a refund import, a correction): the next refresh clears what was stored.
    db.sqlite.prepare('DELETE FROM "Order" WHERE customerId = \'c4\'').run();
    clock.advance(DAY + 1);
    await engine.tick();
    expect(db.sqlite.prepare("SELECT rfm FROM Customer WHERE id = 'c4'").get()).toEqual({ rfm: null });
    expect(
      JSON.parse((db.sqlite.prepare("SELECT rfm FROM Customer WHERE id = 'c3'").get() as { rfm: string }).rfm),
    ).toMatchObject({ orderCount: 4, recency: 4 }); // NTILE(5) over four buyers: 1–4
  });
});
