// Instance ids have a fixed width (nine digits from 100,000,000) on both backends, so the
// idempotency keys built from them ("<instanceId>:<node>:<visit>") sort in the order the runs were
// made and neighbouring runs' keys share pages of each unique index (OutboxEffect, Message…). A
// database from before keeps its runs' ids, and so every key it already handed to a provider.
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { addCustomers, graphOf, publishJourney } from '../../testing/fixtures.ts';
import { sampleExecutors, sampleExecutorsOn } from '../../testing/sample-nodes.ts';
import { seedEither } from '../../testing/seed-either.ts';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { openDatabase } from '../db/database.ts';
import { applyMigrations } from '../db/migrate.ts';
import { cleanupAfterEach, databaseBeforeMigration } from '../db/scratch-database.test-helper.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';

const welcome = graphOf(
  [
    ['entry', 'sample.apiEntry', {}],
    ['hello', 'sample.send', { text: '欢迎' }],
  ],
  [['entry', 'next', 'hello']],
);
const FIRST_ID = 100_000_000;

const cleanups = cleanupAfterEach();

describe.each(bothBackends('instance-ids', cleanups))('instance ids on %s', (_name, openDb) => {
  // Run twice: the second test gets the PostgreSQL database emptied after the first, which must
  // start the ids where a fresh database does.
  it.each(['a fresh database', 'an emptied one'])(
    'start at 100,000,000 in %s, so the effect keys sort as the runs were made',
    async () => {
      const db = await openDb();
      // Twelve runs: with ids 1…12 the keys would sort 1, 10, 11, 12, 2, 3…
      await seedEither(db, { welcome }, { prefix: 'c', from: 0, to: 12 });
      const engine = createEngine({
        db,
        registry: createNodeRegistry([samplePackage]),
        executors: sampleExecutorsOn(db),
        clock: new ManualClock(),
        logger: createLogger('silent'),
      });
      cleanups.push(() => engine.stop());
      await engine.enrollMany(
        'welcome',
        Array.from({ length: 12 }, (_, i) => `c${i}`),
      );
      await engine.tick();

      const runs = await db.sql.all<{ id: number }>('SELECT "id" FROM "Instance" ORDER BY "id"');
      expect(runs.map((r) => Number(r.id))).toEqual(Array.from({ length: 12 }, (_, i) => FIRST_ID + i));
      const keys = (
        await db.sql.all<{ key: string }>('SELECT "idempotencyKey" AS "key" FROM "OutboxEffect" ORDER BY "id"')
      ).map((r) => r.key);
      expect(keys).toHaveLength(12);
      expect([...keys].sort()).toEqual(keys);
      const messages = await db.sql.all<{ key: string }>(
        'SELECT "idempotencyKey" AS "key" FROM "Message" ORDER BY "idempotencyKey"',
      );
      expect(messages.map((m) => m.key)).toEqual(keys);
    },
  );
});

describe('instance ids on a SQLite database from before fixed-width ids', () => {
  it('keeps the runs it has, with their keys, and numbers the next from 100,000,000', async () => {
    const { file, target } = await databaseBeforeMigration('instance_ids_fixed_width', cleanups);
    // A run of the old version, waiting to send: id 1, its key handed out as "1:hello:1".
    const old = new BetterSqlite3(file);
    publishJourney(old, 'welcome', welcome);
    addCustomers(old, 'c', 0, 3);
    old
      .prepare(
        `INSERT INTO Instance (journeyId, versionId, customerId, status, snapshot, nodeId, enteredAt, updatedAt)
         VALUES ('welcome', 'welcome-v1', 'c0', 'active', '{}', 'hello', '2026-01-01', '2026-01-01')`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, nextAttemptAt)
         VALUES (1, 'hello', 'sample.send', '1:hello:1', '{}', 0)`,
      )
      .run();
    old.close();
    expect((await applyMigrations(`file:${file}`))[0]).toBe(target);

    const db = await openDatabase(file);
    cleanups.push(() => db.close());
    const engine = createEngine({
      db,
      registry: createNodeRegistry([samplePackage]),
      executors: sampleExecutors(db.sqlite),
      clock: new ManualClock(),
      logger: createLogger('silent'),
    });
    cleanups.push(() => engine.stop());
    await engine.enrollMany('welcome', ['c1', 'c2']);
    expect(db.sqlite.prepare('SELECT id, customerId FROM Instance ORDER BY id').all()).toEqual([
      { id: 1, customerId: 'c0' },
      { id: FIRST_ID, customerId: 'c1' },
      { id: FIRST_ID + 1, customerId: 'c2' },
    ]);
    expect(db.sqlite.prepare('SELECT idempotencyKey AS key FROM OutboxEffect ORDER BY id').all()).toEqual([
      { key: '1:hello:1' },
      { key: `${FIRST_ID}:hello:1` },
      { key: `${FIRST_ID + 1}:hello:1` },
    ]);
  });
});
