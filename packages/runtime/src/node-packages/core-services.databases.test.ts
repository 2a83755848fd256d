// The core services on SQLite and PostgreSQL: tags as a set, an attribute change applied once per
// step even when runs of the step race, staff tasks keyed by the step, and the effect calls' claims
// in extension storage. (The journey tests in core-services.test.ts need createEngine and stay on
// SQLite.)
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../engine/api.ts';
import { createLogger } from '../logger.ts';
import { createCoreServices } from './core-services.ts';
import { bothDatabases, seedCustomers } from './databases.test-helper.ts';

const { databases } = bothDatabases('core-services');
const NOW = Date.parse('2026-11-23T02:00:00Z');

describe.each(databases)('core services on %s', (_name, open) => {
  async function setup() {
    const db = await open();
    const clock = new ManualClock(NOW);
    const services = createCoreServices({ db, clock, logger: createLogger('silent'), env: {} });
    return { db, clock, services };
  }

  it('adds and removes tags as a set; a repeated change changes nothing', async () => {
    const { db, services } = await setup();
    const [c] = (await seedCustomers(db, 'c', 1, 2)) as [string];
    const change = { customerId: c, add: ['vip', 'new'], remove: [], source: 'journey:j1' };
    await Promise.all([services.customers.updateTags(change), services.customers.updateTags(change)]);
    await services.customers.updateTags({ customerId: c, add: ['repeat'], remove: ['new'], source: 'journey:j2' });
    expect(await db.sql.all('SELECT tag, source FROM CustomerTag WHERE customerId = ? ORDER BY tag', [c])).toEqual([
      { tag: 'repeat', source: 'journey:j2' },
      { tag: 'vip', source: 'journey:j1' },
    ]);
  });

  it('applies an attribute change once per step, even when two runs of the step race', async () => {
    const { db, services } = await setup();
    const [c] = (await seedCustomers(db, 'c', 2, 3)) as [string];
    const add = (key: string) =>
      services.customers.updateAttributesOnce({
        customerId: c,
        idempotencyKey: key,
        change: (current) => ({ ...current, points: Number(current.points ?? 0) + 10 }),
      });
    const raced = await Promise.all([add('1:points:0'), add('1:points:0'), add('2:points:0')]);
    // Each run answers with the attributes as it left (or found) them; the last one has both steps.
    expect(Math.max(...raced.map((a) => Number(a.points)))).toBe(20);
    expect(await add('1:points:0')).toEqual({ points: 20 });
    const row = await db.sql.get<{ attributes: string }>('SELECT attributes FROM Customer WHERE id = ?', [c]);
    expect(JSON.parse(String(row?.attributes))).toEqual({ points: 20 });
    expect(await db.sql.get('SELECT count(*) AS n FROM EffectReceipt')).toEqual({ n: 2 });
    await expect(
      services.customers.updateAttributesOnce({
        customerId: 'nobody',
        idempotencyKey: '3:points:0',
        change: (current) => current,
      }),
    ).rejects.toThrow('customer nobody does not exist');
  });

  it('creates a staff task once per step', async () => {
    const { db, services } = await setup();
    const [c] = (await seedCustomers(db, 'c', 3, 4)) as [string];
    const task = {
      id: '7:task:0',
      instanceId: '7',
      nodeId: 'task',
      customerId: c,
      assignee: 'zhangsan',
      title: '回访',
      body: '请电话回访',
      dueAt: new Date(NOW + 86_400_000),
    };
    const created = await Promise.all([services.staffTasks.create(task), services.staffTasks.create(task)]);
    expect(created.map((r) => r.created).sort()).toEqual([false, true]);
    const rows = await db.sql.all<Record<string, unknown>>('SELECT * FROM StaffTask');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: '7:task:0', instanceId: 7, assignee: 'zhangsan', status: 'open' });
    expect(new Date(String(rows[0]?.dueAt)).getTime()).toBe(NOW + 86_400_000);
  });

  it('claims an effect call once: a second run of the step gets the stored answer', async () => {
    const { services } = await setup();
    let calls = 0;
    const ctx = { idempotencyKey: '9:hook:0', signal: new AbortController().signal };
    const call = () =>
      services.effects.call(ctx, {
        send: async () => {
          calls++;
          return { ok: true };
        },
      });
    expect(await call()).toEqual({ value: { ok: true }, via: 'sent' });
    expect(await call()).toEqual({ value: { ok: true }, via: 'stored' });
    expect(calls).toBe(1);
  });
});
