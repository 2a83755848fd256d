// The WeCom services on SQLite and PostgreSQL, through the nodes' executors in sandbox mode: the
// welcome read back from the stored contact-added event and recorded once, tags mirrored onto
// CustomerTag, the monthly mass-message count; and the operator's handover. (The callback → engine
// tests in wecom-services.test.ts need createEngine and stay on SQLite.)
import { createWecomServerPackage } from '@siyu/nodes-wecom/server';
import type { NodeExecutor } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate } from '../db/iso-date.ts';
import { ManualClock } from '../engine/api.ts';
import { createLogger } from '../logger.ts';
import { bothDatabases, seedCustomers } from './databases.test-helper.ts';
import { createWecomAdmin } from './wecom-admin.ts';
import { createWecomServices } from './wecom-services.ts';

const { databases } = bothDatabases('wecom-services');
const NOW = Date.parse('2026-11-23T02:00:00Z');

async function addExternalId(db: AppDatabase, customerId: string, externalUserId: string, owner: string) {
  await db.sql.run(
    "INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('wecomExternalUserId', ?, ?, ?)",
    [externalUserId, customerId, isoDate(NOW)],
  );
  await db.sql.run('UPDATE Customer SET ownerUserId = ? WHERE id = ?', [owner, customerId]);
}

describe.each(databases)('WeCom services on %s', (_name, open) => {
  async function setup() {
    const db = await open();
    const clock = new ManualClock(NOW);
    const services = createWecomServices({ db, clock, logger: createLogger('silent'), wecom: null });
    const pkg = createWecomServerPackage(services);
    const executor = (type: string): NodeExecutor => {
      const found = pkg.executors.find((e) => e.definition.type === type);
      if (!found) throw new Error(`no executor ${type}`);
      return found;
    };
    const run = (type: string, config: unknown, customerId: string, idempotencyKey: string) =>
      executor(type).run({
        config,
        customer: { id: customerId, tags: [], attributes: {}, identities: { wecomExternalUserId: `wm-${customerId}` } },
        idempotencyKey,
        attempt: 1,
        journey: { id: 'j1', versionId: 'j1-v1' },
        instanceId: '1',
        nodeId: 'n',
        now: new Date(clock.now()),
        signal: new AbortController().signal,
      });
    return { db, clock, services, run };
  }

  it('reads the latest contact-added event and records a welcome once, even when runs race', async () => {
    const { db, services, run } = await setup();
    const [c] = (await seedCustomers(db, 'c', 1, 2)) as [string];
    expect(await services.latestContactAdded(c)).toBeUndefined();
    for (const [id, at, data] of [
      ['e1', NOW - 60_000, { welcomeCode: 'old', userId: 'zhangsan' }],
      ['e2', NOW - 1_000, { welcomeCode: 'WELCOME', userId: 'lisi' }],
    ] as const) {
      await db.sql.run(
        "INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data) VALUES (?, 'wecom.contactAdded', ?, ?, ?, ?)",
        [id, c, at, at, JSON.stringify(data)],
      );
    }
    expect(await services.latestContactAdded(c)).toEqual({ welcomeCode: 'WELCOME', userId: 'lisi', at: NOW - 1_000 });

    const welcome = { text: '您好，欢迎来到', attachments: [] };
    const results = await Promise.all([
      run('wecom.welcome', welcome, c, '1:w:0'),
      run('wecom.welcome', welcome, c, '1:w:0'),
    ]);
    for (const r of results) expect(r.port).toBe('sent');
    expect(await services.hasMessage('1:w:0')).toBe(true);
    expect(await services.hasMessage('1:w:1')).toBe(false);
    expect(
      await db.sql.all('SELECT idempotencyKey, provider, kind, channel, content, customerId FROM Message'),
    ).toEqual([
      {
        idempotencyKey: '1:w:0',
        provider: 'sandbox',
        kind: 'welcome',
        channel: 'wecom',
        content: '您好，欢迎来到',
        customerId: c,
      },
    ]);
  });

  it('mirrors tags onto CustomerTag as a set: retried and concurrent changes end the same', async () => {
    const { db, services, run } = await setup();
    const [c] = (await seedCustomers(db, 'c', 2, 3)) as [string];
    const config = { groupName: '旅程标签', add: ['新客', '高价值'], remove: [] };
    await Promise.all([run('wecom.markTags', config, c, '2:t:0'), run('wecom.markTags', config, c, '2:t:0')]);
    await services.applyTags(c, ['复购'], ['新客'], 'journey:j2');
    const tags = await db.sql.all<{ tag: string; source: string }>(
      'SELECT tag, source FROM CustomerTag WHERE customerId = ?',
      [c],
    );
    expect(tags.sort((x, y) => x.tag.localeCompare(y.tag))).toEqual(
      [
        { tag: '复购', source: 'journey:j2' },
        { tag: '高价值', source: 'journey:j1' },
      ].sort((x, y) => x.tag.localeCompare(y.tag)),
    );
  });

  it('counts mass messages in the month and stops at the limit', async () => {
    const { db, services } = await setup();
    const [c] = (await seedCustomers(db, 'c', 3, 4)) as [string];
    const limited = createWecomServerPackage({ ...services, massMessageMonthlyLimit: 2 });
    const mass = limited.executors.find((e) => e.definition.type === 'wecom.massMessage');
    if (!mass) throw new Error('no mass executor');
    const send = (key: string) =>
      mass.run({
        config: { text: 'hi', attachments: [] },
        customer: { id: c, tags: [], attributes: {}, identities: { wecomExternalUserId: 'wm3' } },
        idempotencyKey: key,
        attempt: 1,
        journey: { id: 'j', versionId: 'j-v1' },
        instanceId: '1',
        nodeId: 'mass',
        now: new Date(NOW),
        signal: new AbortController().signal,
      });
    expect((await send('m0')).port).toBe('sent');
    expect((await send('m1')).port).toBe('sent');
    await expect(send('m2')).rejects.toThrow(/monthly mass-message limit/);
    expect(await services.countMassMessages(c, NOW - 1, NOW + 1)).toBe(2);
    expect(await services.countMassMessages(c, NOW + 1, NOW + 2)).toBe(0);
  });

  it('hands customers over to another staff member: only those asked for, only from their owner', async () => {
    const { db, clock } = await setup();
    const [a, b, other] = (await seedCustomers(db, 'c', 4, 7)) as [string, string, string];
    await addExternalId(db, a, 'wmA', 'zhangsan');
    await addExternalId(db, b, 'wmB', 'zhangsan');
    await addExternalId(db, other, 'wmO', 'wangwu');
    const admin = createWecomAdmin({ db, clock, publicUrl: () => 'http://x', wecom: null });
    await expect(
      admin.handover({ fromUserId: 'zhangsan', toUserId: 'lisi', resigned: true, externalUserIds: ['wmO'] }),
    ).rejects.toMatchObject({ name: 'WecomAdminError', code: 'BAD_REQUEST' });
    expect(
      await admin.handover({ fromUserId: 'zhangsan', toUserId: 'lisi', resigned: false, externalUserIds: ['wmA'] }),
    ).toEqual({ moved: 1, failed: [] });
    expect(await admin.handover({ fromUserId: 'zhangsan', toUserId: 'lisi', resigned: true })).toEqual({
      moved: 1,
      failed: [],
    });
    expect(await db.sql.all('SELECT id, ownerUserId FROM Customer ORDER BY id')).toEqual([
      { id: a, ownerUserId: 'lisi' },
      { id: b, ownerUserId: 'lisi' },
      { id: other, ownerUserId: 'wangwu' },
    ]);
  });
});
