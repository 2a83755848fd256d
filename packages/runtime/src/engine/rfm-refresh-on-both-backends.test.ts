// Customer.rfm kept in step with orders on SQLite (its own connection, streamed) and PostgreSQL
// (through the SQL port): the same scores on both.
import { describe, expect, it } from 'vitest';
import { freshBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { rfmRefresher } from './rfm-refresh.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const cleanups = cleanupAfterEach();

describe.each(freshBackends('rfm', cleanups))('RFM refresh on %s', (_name, openDb) => {
  it('scores buyers in quintiles, skips a refresh with no new orders, and clears scores whose orders are gone', async () => {
    const db = await openDb();
    const now = Date.UTC(2026, 10, 30);
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    for (let i = 0; i < 10; i++) {
      await db.sql.run("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)", [
        `c${i}`,
        at(400),
        at(400),
      ]);
    }
    // c0..c4 ordered: c4 most recently, most often and most; c5..c9 never.
    for (let i = 0; i < 5; i++) {
      for (let n = 0; n <= i; n++) {
        await db.sql.run('INSERT INTO "Order" (id, customerId, amountCents, placedAt) VALUES (?, ?, ?, ?)', [
          `o${i}-${n}`,
          `c${i}`,
          1000 * (i + 1),
          at(50 - i * 10 + n),
        ]);
      }
    }
    const refresh = rfmRefresher({ db, logger: createLogger('silent') });
    expect(await refresh(now)).toBe(5);
    const rfm = async () =>
      Object.fromEntries(
        (await db.sql.all<{ id: string; rfm: string | null }>('SELECT id, rfm FROM Customer ORDER BY id')).map((r) => [
          r.id,
          r.rfm === null ? null : (JSON.parse(r.rfm) as { recency: number; frequency: number; orderCount: number }),
        ]),
      );
    const scores = await rfm();
    expect(scores.c4).toMatchObject({ recency: 5, frequency: 5, monetary: 5, orderCount: 5, totalCents: 25000 });
    expect(scores.c0).toMatchObject({ recency: 1, frequency: 1, monetary: 1, orderCount: 1 });
    expect(scores.c9).toBeNull();
    // Nothing new within the hour, nor after it without new orders (before a day passed).
    expect(await refresh(now + 1000)).toBe(0);
    expect(await refresh(now + 2 * HOUR)).toBe(0);
    // c4's orders are gone (a refund import): its score is cleared; the others keep theirs (quintiles of four).
    await db.sql.run('DELETE FROM "Order" WHERE customerId = \'c4\'');
    expect(await refresh(now + 4 * HOUR)).toBe(1);
    const after = await rfm();
    expect(after.c4).toBeNull();
    expect(after.c3).toMatchObject({ recency: 4, orderCount: 4 });
  });

  it('a refresh that fails is logged and tried again after the interval; it never throws into the tick', async () => {
    const db = await openDb();
    const now = Date.UTC(2026, 10, 30);
    await db.sql.run("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES ('c1', '{}', ?, ?)", [
      new Date(now - DAY).toISOString(),
      new Date(now - DAY).toISOString(),
    ]);
    await db.sql.run('INSERT INTO "Order" (id, customerId, amountCents, placedAt) VALUES (?, ?, ?, ?)', [
      'o1',
      'c1',
      1000,
      new Date(now - DAY).toISOString(),
    ]);
    const warnings: string[] = [];
    const logger = Object.assign(Object.create(createLogger('silent')), {
      warn: (_: unknown, message: string) => warnings.push(message),
    });
    const refresh = rfmRefresher({ db, logger });
    // A real failure: the orders' table is not there.
    await db.sql.run('ALTER TABLE "Order" RENAME TO "OrderAway"');
    expect(await refresh(now)).toBe(0);
    expect(warnings).toEqual(['customer RFM refresh failed; trying again after the interval']);
    await db.sql.run('ALTER TABLE "OrderAway" RENAME TO "Order"');
    // Not again within the interval, then once it has passed (no new order needed).
    expect(await refresh(now + 1000)).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(await refresh(now + HOUR)).toBe(1);
    const stored = await db.sql.get<{ rfm: string | null }>("SELECT rfm FROM Customer WHERE id = 'c1'");
    expect(JSON.parse(stored?.rfm ?? 'null')).toMatchObject({ orderCount: 1 });
  });
});
