import { PermanentError, RetryableError } from '@siyu/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { WecomClient } from './client.ts';
import { type FakeWecom, startFakeWecom } from './fake-wecom.ts';

let fake: FakeWecom;
afterEach(async () => fake?.close());

async function setup() {
  fake = await startFakeWecom();
  return new WecomClient(fake.config);
}

describe('WecomClient against the local fake WeCom', () => {
  it('caches the access token and refetches it once on 42001 (expired) and 40014 (invalid)', async () => {
    const client = await setup();
    await client.addContactWay({ users: ['zhangsan'], state: 'poster-A' });
    await client.addContactWay({ users: ['zhangsan'], state: 'poster-B' });
    expect(fake.calls('gettoken')).toHaveLength(1);
    fake.expireTokens();
    const way = await client.addContactWay({ users: ['zhangsan', 'lisi'], state: 'poster-C' });
    expect(way.configId).toMatch(/^cfg/);
    expect(fake.calls('gettoken')).toHaveLength(2);
    const ways = fake.calls('externalcontact/add_contact_way');
    expect(ways.map((c) => c.body.state)).toEqual(['poster-A', 'poster-B', 'poster-C', 'poster-C']);
    expect(ways[3]?.body).toMatchObject({ type: 2, scene: 2, user: ['zhangsan', 'lisi'] });
    fake.failNext('externalcontact/add_contact_way', 40014);
    await client.addContactWay({ users: ['zhangsan'], state: 'poster-D' });
    expect(fake.calls('gettoken')).toHaveLength(3);
  });

  it('a wrong secret is a permanent error; a state over 30 chars is refused before calling', async () => {
    fake = await startFakeWecom();
    const bad = new WecomClient({ ...fake.config, secret: 'wrong' });
    await expect(bad.addContactWay({ users: ['u'], state: 's' })).rejects.toBeInstanceOf(PermanentError);
    const client = new WecomClient(fake.config);
    await expect(client.addContactWay({ users: ['u'], state: 'x'.repeat(31) })).rejects.toThrow(/30 characters/);
    expect(fake.calls('externalcontact/add_contact_way')).toHaveLength(0);
  });

  it('welcome: sent once; 41051 (already sent) is permanent, 41096 retryable, rate limits retryable', async () => {
    const client = await setup();
    const code = fake.issueWelcomeCode();
    await client.sendWelcome({ welcomeCode: code, text: '欢迎' });
    const again = await client.sendWelcome({ welcomeCode: code, text: '欢迎' }).catch((e) => e);
    expect(again).toBeInstanceOf(PermanentError);
    expect(again.code).toBe('wecom.41051');
    fake.failNext('externalcontact/send_welcome_msg', 41096);
    await expect(client.sendWelcome({ welcomeCode: fake.issueWelcomeCode(), text: 'x' })).rejects.toBeInstanceOf(
      RetryableError,
    );
    fake.failNext('externalcontact/send_welcome_msg', 45033);
    const limited = await client.sendWelcome({ welcomeCode: fake.issueWelcomeCode(), text: 'x' }).catch((e) => e);
    expect(limited).toBeInstanceOf(RetryableError);
    expect(limited.retryAfterMs).toBe(60_000);
  });

  it('tags: creates missing corp tags in the group, then marks them', async () => {
    const client = await setup();
    const first = await client.ensureTags('旅程', ['新客', '高意向']);
    expect([...first.keys()].sort()).toEqual(['新客', '高意向'].sort());
    const second = await client.ensureTags('旅程', ['新客', '复购']);
    expect(second.get('新客')).toBe(first.get('新客'));
    expect(fake.calls('externalcontact/add_corp_tag').map((c) => c.body.tag)).toEqual([
      [{ name: '新客' }, { name: '高意向' }],
      [{ name: '复购' }],
    ]);
    await client.markTag({
      userId: 'zhangsan',
      externalUserId: 'wmA',
      add: [second.get('复购') as string],
      remove: [],
    });
    expect([...(fake.markedTags.get('zhangsan:wmA') ?? [])]).toEqual([second.get('复购')]);
    await expect(
      client.markTag({ userId: 'zhangsan', externalUserId: 'wmA', add: ['nope'], remove: [] }),
    ).rejects.toThrow(/40068/);
  });

  it('join way, mass-message task with fail_list, and handover in batches of 100', async () => {
    const client = await setup();
    expect((await client.addJoinWay({ chatIds: ['wr1', 'wr2'], state: 'grp' })).configId).toMatch(/^join/);
    await expect(client.addJoinWay({ chatIds: ['1', '2', '3', '4', '5', '6'], state: 's' })).rejects.toThrow(/1 to 5/);
    const task = await client.addMsgTemplate({ sender: 'zhangsan', externalUserIds: ['wmA', 'strangerB'], text: 'hi' });
    expect(task.msgId).toMatch(/^msg/);
    expect(task.failList).toEqual(['strangerB']);
    const ids = Array.from({ length: 230 }, (_, i) => `wm${i}`);
    const moved = await client.transferCustomers({
      handoverUserId: 'a',
      takeoverUserId: 'b',
      externalUserIds: ids,
      resigned: true,
    });
    expect(moved).toHaveLength(230);
    const calls = fake.calls('externalcontact/resigned/transfer_customer');
    expect(calls.map((c) => (c.body.external_userid as string[]).length)).toEqual([100, 100, 30]);
    await client.transferCustomers({
      handoverUserId: 'a',
      takeoverUserId: 'b',
      externalUserIds: ['wm1'],
      transferSuccessMsg: '您好',
    });
    expect(fake.calls('externalcontact/transfer_customer')[0]?.body.transfer_success_msg).toBe('您好');
  });

  it('staff directory: members with customer-contact permission, each name by user/get', async () => {
    const client = await setup();
    fake.addStaff('zhangsan', '张三');
    fake.addStaff('lisi', '李四');
    fake.addStaff('boss', '老板', { follow: false });
    expect(await client.followUsers()).toEqual(['zhangsan', 'lisi']);
    expect(await client.member('lisi')).toEqual({ userId: 'lisi', name: '李四' });
    expect(fake.calls('user/get').at(-1)?.body).toEqual({ userid: 'lisi' });
    const gone = await client.member('nobody').catch((e) => e);
    expect(gone).toBeInstanceOf(PermanentError);
    expect(gone.code).toBe('wecom.60111');
    fake.failNext('externalcontact/get_follow_user_list', 45033);
    await expect(client.followUsers()).rejects.toBeInstanceOf(RetryableError);
    // Replies out of contract: an unreadable list fails (it must not read as "nobody"); a member
    // without a usable name is permanent for that member.
    fake.garbleNext('externalcontact/get_follow_user_list', { follow_user: 'zhangsan' });
    await expect(client.followUsers()).rejects.toThrow(/not a list of userids/);
    fake.garbleNext('externalcontact/get_follow_user_list', { follow_user: ['x'.repeat(65)] });
    await expect(client.followUsers()).rejects.toBeInstanceOf(RetryableError);
    fake.garbleNext('user/get', { name: 'n'.repeat(129) });
    await expect(client.member('lisi')).rejects.toThrow(/no readable name for lisi/);
  });

  it('network failure is retryable', async () => {
    fake = await startFakeWecom();
    const client = new WecomClient({ ...fake.config, baseUrl: 'http://127.0.0.1:1/cgi-bin/' });
    await expect(client.addJoinWay({ chatIds: ['wr1'], state: 's' })).rejects.toBeInstanceOf(RetryableError);
  });
});
