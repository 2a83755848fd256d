import { type CustomerView, type ExecutorContext, PermanentError, RetryableError } from '@siyu/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeWecom, startFakeWecom } from './fake-wecom.ts';
import { chinaMonth, createWecomServerPackage, type WecomMessageRecord, type WecomServerDeps } from './index.ts';

let fake: FakeWecom | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const NOW = new Date('2026-11-23T03:00:00Z');

/** In-memory deps with the same contract the runtime implements over SQLite. */
function memoryDeps(overrides: Partial<WecomServerDeps> = {}) {
  const messages: WecomMessageRecord[] = [];
  const tags = new Map<string, Set<string>>();
  let contact: { welcomeCode?: string; userId?: string; at: number } | undefined;
  const deps: WecomServerDeps = {
    latestContactAdded: async () => contact,
    hasMessage: async (key) => messages.some((m) => m.idempotencyKey === key),
    recordMessage: async (m) => {
      if (!messages.some((x) => x.idempotencyKey === m.idempotencyKey)) messages.push(m);
    },
    countMassMessages: async (id, from, to) =>
      messages.filter((m) => m.customerId === id && m.kind === 'mass' && m.sentAt >= from && m.sentAt < to).length,
    applyTags: async (id, add, remove) => {
      const set = tags.get(id) ?? new Set();
      for (const x of remove) set.delete(x);
      for (const x of add) set.add(x);
      tags.set(id, set);
    },
    ...overrides,
  };
  return { deps, messages, tags, setContact: (c: typeof contact) => (contact = c) };
}

const customer: CustomerView = {
  id: 'c1',
  tags: [],
  attributes: { name: '小王' },
  identities: { wecomExternalUserId: 'wmA' },
  ownerUserId: 'zhangsan',
};

function ctx<T>(config: T, over: Partial<ExecutorContext<T>> = {}): ExecutorContext<T> {
  return {
    config,
    customer,
    idempotencyKey: 'i1:n1:1',
    attempt: 1,
    journey: { id: 'j1', versionId: 'j1-v1' },
    instanceId: 'i1',
    nodeId: 'n1',
    now: NOW,
    signal: new AbortController().signal,
    ...over,
  };
}

function executor(pkg: ReturnType<typeof createWecomServerPackage>, type: string) {
  const found = pkg.executors.find((e) => e.definition.type === type);
  if (!found) throw new Error(type);
  return found;
}

describe('WeCom executors against the fake WeCom', () => {
  it('welcome: sends with the fresh code, renders variables, and a retry after success does not resend', async () => {
    fake = await startFakeWecom();
    const m = memoryDeps({ config: fake.config });
    const pkg = createWecomServerPackage(m.deps);
    m.setContact({ welcomeCode: fake.issueWelcomeCode(), userId: 'zhangsan', at: NOW.getTime() - 5_000 });
    const run = executor(pkg, 'wecom.welcome').run;
    const config = { text: '你好{{name}}', attachments: [] };
    expect(await run(ctx(config))).toEqual({ port: 'sent', data: { provider: 'wecom' } });
    expect(fake.calls('externalcontact/send_welcome_msg')[0]?.body.text).toEqual({ content: '你好小王' });
    expect(await run(ctx(config, { attempt: 2 }))).toMatchObject({ data: { duplicate: true } });
    expect(fake.calls('externalcontact/send_welcome_msg')).toHaveLength(1);
    expect(m.messages).toHaveLength(1);
  });

  it('welcome: no code, expired code and "already sent" are permanent; 41096 is retryable', async () => {
    fake = await startFakeWecom();
    const m = memoryDeps({ config: fake.config });
    const run = executor(createWecomServerPackage(m.deps), 'wecom.welcome').run;
    const config = { text: 'hi', attachments: [] };
    await expect(run(ctx(config))).rejects.toMatchObject({ code: 'noWelcomeCode' });
    m.setContact({ welcomeCode: fake.issueWelcomeCode(), at: NOW.getTime() - 20_001 });
    await expect(run(ctx(config))).rejects.toMatchObject({ code: 'welcomeCodeExpired' });
    const code = fake.issueWelcomeCode();
    m.setContact({ welcomeCode: code, at: NOW.getTime() });
    fake.failNext('externalcontact/send_welcome_msg', 41096);
    await expect(run(ctx(config, { idempotencyKey: 'k2' }))).rejects.toBeInstanceOf(RetryableError);
    expect(await run(ctx(config, { idempotencyKey: 'k2', attempt: 2 }))).toMatchObject({ port: 'sent' });
    // Someone else used the code (another journey): first attempt → permanent, no message recorded.
    const error = await run(ctx(config, { idempotencyKey: 'k3' })).catch((e) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.code).toBe('wecom.41051');
    // Our own earlier attempt got through but was not recorded: 41051 on a retry counts as sent.
    expect(await run(ctx(config, { idempotencyKey: 'k4', attempt: 2 }))).toMatchObject({ port: 'sent' });
    expect(m.messages.map((x) => x.idempotencyKey)).toEqual(['k2', 'k4']);
    // The process died inside the call that used the code; it restarts after the 20 s: the re-run
    // asks WeCom, whose 41051 says our attempt got through (not "expired", which loses the customer).
    const crashed = fake.issueWelcomeCode();
    m.setContact({ welcomeCode: crashed, at: NOW.getTime() - 60_000 });
    fake.useWelcomeCode(crashed);
    expect(await run(ctx(config, { idempotencyKey: 'k6', attempt: 2 }))).toMatchObject({ port: 'sent' });
    await expect(run(ctx(config, { idempotencyKey: 'k7', attempt: 1 }))).rejects.toMatchObject({
      code: 'welcomeCodeExpired',
    });
    await expect(
      run(ctx(config, { customer: { ...customer, identities: {} }, idempotencyKey: 'k5' })),
    ).rejects.toMatchObject({ code: 'noWecomContact' });
  });

  it('markTags: creates the tags, marks and unmarks them, mirrors locally; no staff member is permanent', async () => {
    fake = await startFakeWecom();
    const m = memoryDeps({ config: fake.config });
    const run = executor(createWecomServerPackage(m.deps), 'wecom.markTags').run;
    expect(await run(ctx({ groupName: '旅程', add: ['新客', '高意向'], remove: [] }))).toMatchObject({ port: 'next' });
    expect(await run(ctx({ groupName: '旅程', add: ['老客'], remove: ['新客'] }))).toMatchObject({ port: 'next' });
    const nameOf = (id: string) => fake?.tags.find((x) => x.id === id)?.name;
    expect([...(fake.markedTags.get('zhangsan:wmA') ?? [])].map(nameOf).sort()).toEqual(['老客', '高意向'].sort());
    expect([...(m.tags.get('c1') ?? [])].sort()).toEqual(['老客', '高意向'].sort());
    await expect(
      run(ctx({ groupName: 'g', add: ['x'], remove: [] }, { customer: { ...customer, ownerUserId: undefined } })),
    ).rejects.toMatchObject({ code: 'noOwner' });
    fake.failNext('externalcontact/get_corp_tag_list', 45009);
    await expect(run(ctx({ groupName: 'g', add: ['x'], remove: [] }))).rejects.toBeInstanceOf(RetryableError);
  });

  it('inviteToGroup creates a join way with the state; massMessage creates a task and honours fail_list', async () => {
    fake = await startFakeWecom();
    const m = memoryDeps({ config: fake.config });
    const pkg = createWecomServerPackage(m.deps);
    const invite = await executor(pkg, 'wecom.inviteToGroup').run(
      ctx({ chatIds: ['wr1'], state: 'vip-group', timeout: { amount: 1, unit: 'days' } }),
    );
    expect(invite).toMatchObject({
      port: 'joined',
      data: { state: 'vip-group', configId: expect.stringMatching(/^join/) },
    });
    expect(fake.calls('externalcontact/groupchat/add_join_way')[0]?.body).toMatchObject({
      chat_id_list: ['wr1'],
      state: 'vip-group',
    });
    const mass = executor(pkg, 'wecom.massMessage').run;
    expect(await mass(ctx({ text: '{{name}} 会员日', attachments: [] }))).toMatchObject({ port: 'sent' });
    expect(fake.calls('externalcontact/add_msg_template')[0]?.body).toMatchObject({
      chat_type: 'single',
      external_userid: ['wmA'],
      sender: 'zhangsan',
      text: { content: '小王 会员日' },
    });
    const stranger = { ...customer, identities: { wecomExternalUserId: 'strangerX' } };
    await expect(
      mass(ctx({ text: 'x', attachments: [] }, { customer: stranger, idempotencyKey: 'k9' })),
    ).rejects.toMatchObject({
      code: 'failList',
    });
  });

  it('sandbox: no WeCom calls, messages recorded with provider sandbox, no webhooks', async () => {
    const m = memoryDeps();
    const pkg = createWecomServerPackage(m.deps);
    expect(pkg.webhooks).toEqual([]);
    expect(await executor(pkg, 'wecom.welcome').run(ctx({ text: 'hi {{name}}', attachments: [] }))).toMatchObject({
      port: 'sent',
    });
    expect(m.messages[0]).toMatchObject({ provider: 'sandbox', kind: 'welcome', content: 'hi 小王', recipient: 'wmA' });
    expect(await executor(pkg, 'wecom.markTags').run(ctx({ groupName: 'g', add: ['a'], remove: [] }))).toMatchObject({
      port: 'next',
    });
    expect([...(m.tags.get('c1') ?? [])]).toEqual(['a']);
  });

  it('the mass-message month is the China calendar month', () => {
    const nov = chinaMonth(Date.parse('2026-11-30T16:30:00Z')); // 00:30 on 1 December in Shanghai
    expect(new Date(nov.from).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(nov.days).toBe(31);
    expect(chinaMonth(Date.parse('2026-02-10T00:00:00Z')).days).toBe(28);
  });
});
