// The WeCom staff directory on SQLite and PostgreSQL, against the local fake WeCom: names arrive,
// renames are taken, a member WeCom stops listing turns inactive (kept: customers may still name
// them), a name WeCom cannot give this time stays as it was, and the sandbox has its demo roster.
import { WecomClient } from '@siyu/nodes-wecom/server';
import { startFakeWecom } from '@siyu/nodes-wecom/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../engine/api.ts';
import { bothDatabases } from './databases.test-helper.ts';
import {
  createStaffDirectory,
  keepStaffDirectoryFresh,
  NOTICE_GAP_MS,
  SANDBOX_STAFF,
  staffUserIdsIn,
} from './wecom-staff-directory.ts';

const { databases } = bothDatabases('wecom-staff');
const NOW = Date.parse('2026-12-07T02:00:00Z');
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe.each(databases)('WeCom staff directory on %s', (_name, open) => {
  it('syncs names from WeCom, takes renames, keeps a member no longer listed as inactive', async () => {
    const db = await open();
    const fake = await startFakeWecom();
    closers.push(fake.close);
    fake.addStaff('zhangsan', '张三');
    fake.addStaff('lisi', '李四');
    fake.addStaff('boss', '老板', { follow: false }); // no customer-contact permission: not ours
    const clock = new ManualClock(NOW);
    const directory = createStaffDirectory({ db, clock, client: new WecomClient(fake.config) });

    expect(await directory.sync()).toEqual({ listed: 2, added: 2, renamed: 0, deactivated: 0, unread: [] });
    expect((await directory.list()).map((m) => [m.userId, m.name, m.active])).toEqual([
      ['lisi', '李四', true], // by pinyin: li before zhang
      ['zhangsan', '张三', true],
    ]);

    fake.addStaff('lisi', '李思');
    fake.removeStaff('zhangsan');
    fake.addStaff('wangwu', '王五');
    clock.advance(60_000);
    expect(await directory.sync()).toEqual({ listed: 2, added: 1, renamed: 1, deactivated: 1, unread: [] });
    const rows = await directory.list();
    expect(rows.map((m) => [m.userId, m.name, m.active])).toEqual([
      ['lisi', '李思', true],
      ['wangwu', '王五', true],
      ['zhangsan', '张三', false],
    ]);
    expect(rows.every((m) => m.syncedAt.getTime() === NOW + 60_000)).toBe(true);

    // WeCom cannot name one member this time (busy): the stored name stays, the member stays active.
    fake.failNext('user/get', 45033);
    const partial = await directory.sync();
    expect(partial.unread).toHaveLength(1);
    expect((await directory.list()).filter((m) => m.active).map((m) => m.name)).toEqual(['李思', '王五']);
  });

  it('a refused sync changes nothing; two syncs at once share one pass', async () => {
    const db = await open();
    const fake = await startFakeWecom();
    closers.push(fake.close);
    fake.addStaff('zhangsan', '张三');
    const directory = createStaffDirectory({ db, clock: new ManualClock(NOW), client: new WecomClient(fake.config) });
    await directory.sync();
    fake.failNext('externalcontact/get_follow_user_list', 48002); // api forbidden
    await expect(directory.sync()).rejects.toThrow(/48002/);
    expect((await directory.list()).map((m) => [m.name, m.active])).toEqual([['张三', true]]);

    // A list WeCom sends out of contract fails the sync: nobody is marked inactive for it.
    fake.garbleNext('externalcontact/get_follow_user_list', { follow_user: null, userlist: [] });
    await expect(directory.sync()).rejects.toThrow(/not a list of userids/);
    expect((await directory.list()).map((m) => [m.name, m.active])).toEqual([['张三', true]]);

    const before = fake.calls('externalcontact/get_follow_user_list').length;
    await Promise.all([directory.sync(), directory.sync()]);
    expect(fake.calls('externalcontact/get_follow_user_list').length).toBe(before + 1);
  });

  it('a userid WeCom names that the directory lacks is synced at once; a burst of them is one sync', async () => {
    const db = await open();
    const fake = await startFakeWecom();
    closers.push(fake.close);
    fake.addStaff('zhangsan', '张三');
    const clock = new ManualClock(NOW);
    const directory = createStaffDirectory({ db, clock, client: new WecomClient(fake.config) });
    await directory.sync();
    const lists = () => fake.calls('externalcontact/get_follow_user_list').length;

    expect(await directory.noticeUserIds(['zhangsan'])).toBe('known');
    expect(await directory.noticeUserIds([])).toBe('known');
    expect(lists()).toBe(1);
    // A new store assistant adds her first customer: named at once, not at the next 6-hourly sync.
    fake.addStaff('xiaomei', '小美');
    expect(await directory.noticeUserIds(['xiaomei', 'zhangsan'])).toBe('synced');
    expect((await directory.list()).find((m) => m.userId === 'xiaomei')?.name).toBe('小美');
    // A userid the sync did not bring (no customer-contact permission) does not sync again and again.
    expect(await directory.noticeUserIds(['ghost'])).toBe('later');
    clock.advance(NOTICE_GAP_MS);
    expect(await directory.noticeUserIds(['ghost'])).toBe('synced');
    expect(lists()).toBe(3);
  });

  it('the sandbox names the userids the sandbox and the examples use', async () => {
    const db = await open();
    const directory = createStaffDirectory({ db, clock: new ManualClock(NOW), client: null });
    const result = await directory.sync();
    expect(result.added).toBe(SANDBOX_STAFF.length);
    expect((await directory.list()).map((m) => m.userId).sort()).toEqual(['dianzhang_sh', 'sandbox-staff']);
    expect((await directory.sync()).added).toBe(0);
  });
});

describe('keepStaffDirectoryFresh', () => {
  it('syncs at once and on each interval, logs a failure, and stops', async () => {
    vi.useFakeTimers();
    try {
      const sync = vi
        .fn()
        .mockResolvedValueOnce({ listed: 1, added: 1, renamed: 0, deactivated: 0, unread: [] })
        .mockRejectedValueOnce(new Error('WeCom down'))
        .mockResolvedValue({ listed: 1, added: 0, renamed: 0, deactivated: 0, unread: [] });
      const logger = { info: vi.fn(), warn: vi.fn() };
      const stop = keepStaffDirectoryFresh({ sync, list: async () => [], noticeUserIds: vi.fn() }, logger, 1_000);
      expect(sync).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(sync).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      stop();
      await vi.advanceTimersByTimeAsync(5_000);
      expect(sync).toHaveBeenCalledTimes(2);
      expect(logger.info).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('staffUserIdsIn', () => {
  it('reads the staff userid of each contact added, nothing else', () => {
    expect(
      staffUserIdsIn([
        { type: 'wecom.contactAdded', data: { userId: 'xiaomei', externalUserId: 'wm1' } },
        { type: 'channel.entered', data: { userId: 'not-this' } },
        { type: 'wecom.contactAdded', data: { userId: '' } },
        { type: 'wecom.contactAdded', data: { userId: 'x'.repeat(65) } },
        { type: 'wecom.contactAdded' },
      ]),
    ).toEqual(['xiaomei']);
  });
});
