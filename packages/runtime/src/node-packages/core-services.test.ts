import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corePackage } from '@siyu/nodes-core';
import { createCoreServerPackage } from '@siyu/nodes-core/server';
import { createNodeRegistry } from '@siyu/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { isoDate } from '../db/iso-date.ts';
import { ManualClock } from '../engine/api.ts';
import { createEngine, type DurableEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import { createCoreServices } from './core-services.ts';

const DAY = 86_400_000;
const logger = createLogger('silent');
const registry = createNodeRegistry([corePackage]);
let dir: string;
let db: Database;
let clock: ManualClock;
let engine: DurableEngine;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'core-services-'));
  db = await openDatabase(join(dir, 'test.db'));
  clock = new ManualClock(Date.UTC(2026, 10, 11, 2, 0, 0));
  const services = createCoreServices({ db, clock, logger, env: {} });
  engine = createEngine({ db, registry, executors: [...createCoreServerPackage(services).executors], clock, logger });
  const now = isoDate(clock.now());
  db.sqlite
    .prepare("INSERT INTO Channel (id, name, kind, createdAt) VALUES ('card', '包裹卡 11月', 'packageCard', ?)")
    .run(now);
  const code = db.sqlite.prepare(
    "INSERT INTO EntryCode (code, channelId, variant, createdAt) VALUES (?, 'card', ?, ?)",
  );
  code.run('card-a', 'a', now);
  code.run('card-b', 'b', now);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const sql = <T>(query: string, ...params: unknown[]) => db.sqlite.prepare(query).all(...params) as T[];
const tagsOf = (customerId: string) =>
  sql<{ tag: string }>('SELECT tag FROM CustomerTag WHERE customerId = ? ORDER BY tag', customerId).map((r) => r.tag);

/** Package-card reception: channel entry → tags → points → branch by variant → staff task → goal. */
function publishReception() {
  publishJourney(
    db.sqlite,
    'reception',
    graphOf(
      [
        ['entry', 'core.channelEntry', { channelIds: ['card'] }],
        ['tags', 'core.updateTags', { add: ['新客'], tagChannel: true }],
        ['points', 'core.updateAttributes', { changes: [{ op: 'increment', name: 'points', by: 10 }] }],
        [
          'route',
          'core.branch',
          {
            cases: [
              { id: 'b', label: 'B 卡', filter: { conditions: [{ field: 'channel.variant', op: 'eq', value: 'b' }] } },
            ],
          },
        ],
        [
          'task',
          'core.staffTask',
          {
            title: '私聊 {{attributes.points}} 分客户',
            fallbackAssignee: 'zhangsan',
            expiresAfter: { amount: 1, unit: 'days' },
          },
        ],
        ['won', 'core.goal', { name: '私聊完成' }],
        ['end', 'core.exit', { reason: '完成' }],
      ],
      [
        ['entry', 'next', 'tags'],
        ['tags', 'next', 'points'],
        ['points', 'next', 'route'],
        ['route', 'b', 'task'],
        ['route', 'else', 'end'],
        ['task', 'done', 'won'],
        ['task', 'expired', 'end'],
        ['won', 'next', 'end'],
      ],
    ),
  );
}

const scan = (externalUserId: string, code: string) =>
  engine.ingestEvent({
    id: `scan-${externalUserId}`,
    type: 'channel.entered',
    identities: { wecomExternalUserId: externalUserId },
    occurredAt: new Date(clock.now()),
    data: { code },
  });

describe('core nodes in the engine over SQLite', () => {
  it('a channel scan enrols, attributes first touch, tags by source, counts points once and opens a staff task', async () => {
    publishReception();
    const outcome = await scan('wm-b', 'card-b');
    expect(outcome).toMatchObject({ status: 'accepted', enrolled: 1 });
    await engine.tick();
    const customerId = outcome.customerId as string;
    const [customer] = sql<{ channelCode: string; variant: string; attributes: string }>(
      'SELECT channelCode, variant, attributes FROM Customer WHERE id = ?',
      customerId,
    );
    expect(customer).toMatchObject({ channelCode: 'card-b', variant: 'b' });
    expect(JSON.parse(customer?.attributes ?? '{}')).toEqual({ points: 10 });
    expect(tagsOf(customerId)).toEqual(['新客', '渠道:card-b', '版本:b']);
    // The stored event carries the channel the code belongs to (what channel entries filter on).
    const [event] = sql<{ data: string }>("SELECT data FROM Event WHERE type = 'channel.entered'");
    expect(JSON.parse(event?.data ?? '{}')).toMatchObject({
      channelId: 'card',
      channelKind: 'packageCard',
      variant: 'b',
    });

    const tasks = sql<{ id: string; assignee: string; title: string; status: string }>('SELECT * FROM StaffTask');
    expect(tasks).toEqual([expect.objectContaining({ assignee: 'zhangsan', title: '私聊 10 分客户', status: 'open' })]);

    // A later scan of another code never moves the first-touch channel.
    await engine.ingestEvent({
      id: 'scan-again',
      type: 'channel.entered',
      customerId,
      occurredAt: new Date(clock.now()),
      data: { code: 'card-a' },
    });
    expect(
      sql<{ channelCode: string }>('SELECT channelCode FROM Customer WHERE id = ?', customerId)[0]?.channelCode,
    ).toBe('card-b');

    // The staff member marks the task done → goal reached once → exit.
    const done = await engine.ingestEvent({
      id: 'task-done',
      type: 'staffTask.completed',
      customerId,
      occurredAt: new Date(clock.now()),
      data: { taskId: tasks[0]?.id },
    });
    expect(done.delivered).toBe(1);
    await engine.tick();
    const [instance] = sql<{ status: string; nodeId: string; goalAt: string | null; exitReason: string }>(
      'SELECT status, nodeId, goalAt, exitReason FROM Instance',
    );
    expect(instance).toMatchObject({ status: 'exited', nodeId: 'end' });
    expect(instance?.goalAt).not.toBeNull();
    expect(sql("SELECT * FROM StepLog WHERE kind = 'goal'")).toHaveLength(1);
  });

  it('variant a goes to else; an unanswered staff task expires after its time', async () => {
    publishReception();
    const a = await scan('wm-a', 'card-a');
    const b = await scan('wm-b2', 'card-b');
    await engine.tick();
    const statusOf = (id: string) =>
      sql<{ status: string; nodeId: string }>('SELECT status, nodeId FROM Instance WHERE customerId = ?', id)[0];
    expect(statusOf(a.customerId as string)).toMatchObject({ status: 'exited', nodeId: 'end' });
    expect(statusOf(b.customerId as string)).toMatchObject({ status: 'active', nodeId: 'task' });
    clock.advance(DAY + 1000);
    await engine.tick();
    expect(statusOf(b.customerId as string)).toMatchObject({ status: 'exited', nodeId: 'end' });
    // Left the task by its timeout (the expired port leads to "end"), with no goal reached.
    expect(sql("SELECT kind FROM StepLog WHERE fromNodeId = 'task' AND nodeId = 'end'")).toEqual([{ kind: 'move' }]);
    expect(sql("SELECT * FROM StepLog WHERE kind = 'goal'")).toHaveLength(0);
  });

  it('an attribute increment retried with the same idempotency key counts once', async () => {
    db.sqlite
      .prepare("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES ('c1', '{\"points\":1}', ?, ?)")
      .run(isoDate(clock.now()), isoDate(clock.now()));
    const services = createCoreServices({ db, clock, logger, env: {} });
    const change = (current: Record<string, unknown>) => ({ ...current, points: Number(current.points) + 5 });
    await services.customers.updateAttributesOnce({ customerId: 'c1', idempotencyKey: '1:points:1', change });
    const again = await services.customers.updateAttributesOnce({
      customerId: 'c1',
      idempotencyKey: '1:points:1',
      change,
    });
    expect(again).toEqual({ points: 6 });
    await services.customers.updateAttributesOnce({ customerId: 'c1', idempotencyKey: '1:points:2', change });
    expect(
      JSON.parse(sql<{ attributes: string }>("SELECT attributes FROM Customer WHERE id = 'c1'")[0]?.attributes ?? ''),
    ).toEqual({
      points: 11,
    });
    expect(services.webhooks.secret('default')).toBeUndefined();
    expect(createCoreServices({ db, clock, logger, env: { WEBHOOK_SECRET_CRM: 'x' } }).webhooks.secret('crm')).toBe(
      'x',
    );
  });
});

describe('audience entries', () => {
  function seedCustomers() {
    const now = isoDate(clock.now());
    const insert = db.sqlite.prepare('INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, ?, ?, ?)');
    const tag = db.sqlite.prepare(
      "INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, 'VIP', 'import', ?)",
    );
    for (let i = 0; i < 5; i++) {
      insert.run(`c${i}`, JSON.stringify({ city: i % 2 === 0 ? '上海' : '北京' }), now, now);
      if (i < 3) tag.run(`c${i}`, now);
    }
    db.sqlite
      .prepare("INSERT INTO Segment (id, name, filter, createdAt, updatedAt) VALUES ('sh', '上海', ?, ?, ?)")
      .run(
        JSON.stringify({ match: 'all', conditions: [{ field: 'attributes.city', op: 'eq', value: '上海' }] }),
        now,
        now,
      );
  }
  const audienceJourney = (id: string, config: Record<string, unknown>, policy: string) =>
    publishJourney(
      db.sqlite,
      id,
      graphOf(
        [
          ['entry', 'core.audienceEntry', config],
          ['end', 'core.exit', { reason: '完成' }],
        ],
        [['entry', 'next', 'end']],
        { reEntry: { policy: policy as 'always' } },
      ),
    );
  const starts = (journeyId: string) => sql(`SELECT id FROM Instance WHERE journeyId = ?`, journeyId).length;

  it('a repeating entry enrols its segment (saved segment AND node conditions) now and again after each interval', async () => {
    seedCustomers();
    audienceJourney(
      'weekly',
      {
        segmentId: 'sh',
        filter: { conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] },
        schedule: 'repeat',
        every: { amount: 1, unit: 'days' },
      },
      'always',
    );
    // VIP (c0, c1, c2) AND Shanghai (c0, c2, c4) → c0, c2.
    expect((await engine.tick()).audienceEnrolled).toBe(2);
    expect((await engine.tick()).audienceEnrolled).toBe(0);
    clock.advance(DAY - 1000);
    expect((await engine.tick()).audienceEnrolled).toBe(0);
    clock.advance(1000);
    expect((await engine.tick()).audienceEnrolled).toBe(2);
    expect(starts('weekly')).toBe(4);
    expect(sql('SELECT matched, enrolled FROM AudienceRun')).toEqual([{ matched: 2, enrolled: 2 }]);
  });

  it('a "once" entry runs once, not again on a later tick or version', async () => {
    seedCustomers();
    audienceJourney('blast', { filter: { conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] } }, 'always');
    expect((await engine.tick()).audienceEnrolled).toBe(3);
    clock.advance(30 * DAY);
    audienceJourney('blast2', { filter: { conditions: [{ field: 'tags', op: 'lacksTag', value: 'VIP' }] } }, 'always');
    expect((await engine.tick()).audienceEnrolled).toBe(2);
    expect(starts('blast')).toBe(3);
  });

  it('a missing saved segment skips the entry without enrolling anyone', async () => {
    seedCustomers();
    audienceJourney('ghost', { segmentId: 'nope', filter: { conditions: [] } }, 'always');
    expect((await engine.tick()).audienceEnrolled).toBe(0);
    expect(starts('ghost')).toBe(0);
  });
});
