import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyPrincipal } from '../auth/api-keys.ts';
import { addCustomer, createHarness, type Harness, welcomeJourney } from '../trpc/harness.test-helper.ts';
import { redactSecrets } from './record.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const entries = () => h.db.prisma.auditEntry.findMany({ orderBy: [{ at: 'asc' }, { id: 'asc' }] });

describe('audit log', () => {
  it('records who published, paused, resumed, archived and changed settings, not node edits', async () => {
    const api = h.as('operator');
    const j = await api.journeys.create({ name: '新客欢迎' });
    // The first save turns quiet hours off: a setting.
    await api.journeys.updateDraft({ id: j.id, expectedRevision: 1, draft: welcomeJourney() });
    // Node edits with the same settings are autosaves, not audited.
    const edited = welcomeJourney();
    edited.nodes[1] = { ...edited.nodes[1], config: { channel: 'wecom', text: '你好！' } } as never;
    await api.journeys.updateDraft({ id: j.id, expectedRevision: 2, draft: edited });
    await api.journeys.updateDraft({ id: j.id, expectedRevision: 3, description: '' });
    expect((await entries()).map((r) => [r.action, JSON.parse(r.summary)])).toEqual([
      ['journey.settings', { quietHours: expect.objectContaining({ enabled: false }) }],
    ]);

    await api.journeys.publish({ id: j.id });
    await api.journeys.pause({ id: j.id });
    await api.journeys.resume({ id: j.id });
    const quiet = welcomeJourney();
    quiet.settings = { ...quiet.settings, quietHours: { enabled: true, start: '22:00', end: '08:00' } };
    await api.journeys.updateDraft({ id: j.id, expectedRevision: 4, draft: quiet, name: '新客欢迎 v2' });
    await api.journeys.archive({ id: j.id });

    const rows = await entries();
    expect(rows.map((r) => r.action)).toEqual([
      'journey.settings',
      'journey.publish',
      'journey.pause',
      'journey.resume',
      'journey.settings',
      'journey.archive',
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({ actorKind: 'operator', actorName: 'operator', targetType: 'journey', targetId: j.id });
      expect(r.actorId).toBe(h.principals.operator.id);
    }
    expect(JSON.parse(rows[1]?.summary ?? '')).toEqual({ version: 1 });
    const settings = JSON.parse(rows[4]?.summary ?? '') as Record<string, unknown>;
    expect(Object.keys(settings).sort()).toEqual(['name', 'quietHours']);
    expect(settings.quietHours).toMatchObject({ enabled: true, start: '22:00' });
  });

  it('records operators, keys and imports, and never a password or a key value', async () => {
    const admin = h.as('admin');
    const op = await admin.operators.create({
      username: 'li.si',
      displayName: '李四',
      password: 'first-password-1',
      role: 'operator',
    });
    await admin.operators.update({ id: op.id, role: 'viewer', password: 'second-password-2' });
    const created = await admin.apiKeys.create({ name: '有赞导入', scopes: ['customers:import'] });
    const keyApi = h.asPrincipal(await apiKeyPrincipal(h.db, created.key));
    await keyApi.audiences.import({
      fileName: 'crm.csv',
      contentBase64: Buffer.from('手机号,姓名\n13900000001,王五\n').toString('base64'),
    });
    await admin.apiKeys.revoke({ id: created.id });

    const rows = await entries();
    expect(rows.map((r) => [r.action, r.actorName, r.targetType])).toEqual([
      ['operator.create', 'admin', 'operator'],
      ['operator.update', 'admin', 'operator'],
      ['apiKey.create', 'admin', 'apiKey'],
      ['customers.import', '有赞导入', 'importBatch'],
      ['apiKey.revoke', 'admin', 'apiKey'],
    ]);
    expect(rows[3]?.actorKind).toBe('apiKey');
    expect(JSON.parse(rows[1]?.summary ?? '')).toEqual({ username: 'li.si', role: 'viewer', passwordChanged: true });
    expect(JSON.parse(rows[2]?.summary ?? '')).toEqual({ name: '有赞导入', scopes: ['customers:import'] });
    expect(JSON.parse(rows[3]?.summary ?? '')).toMatchObject({ fileName: 'crm.csv', created: 1 });

    // Nothing secret anywhere in the table, in any column.
    const dump = JSON.stringify(h.db.sqlite.prepare('SELECT * FROM AuditEntry').all());
    const keyRow = await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    for (const secret of ['first-password-1', 'second-password-2', created.key, created.key.slice(3), keyRow.keyHash]) {
      expect(dump).not.toContain(secret);
    }
  });

  it('records opting a customer out and back in, an erase and a coupon stock', async () => {
    const api = h.as('operator');
    await addCustomer(h, 'c1', { phone: '13900000002' });
    await api.customers.setOptOut({ id: 'c1', channel: 'sms', optedOut: true });
    await api.customers.setOptOut({ id: 'c1', channel: 'sms', optedOut: false });
    await api.customers.erase({ id: 'c1' });
    await api.coupons.createStock({
      id: 'welcome10',
      name: '新客券',
      maxCoupons: 100,
      amountCents: 1000,
      validFrom: new Date('2026-01-01'),
      validTo: new Date('2026-12-31'),
    });
    expect((await entries()).map((r) => [r.action, r.targetId, JSON.parse(r.summary)])).toEqual([
      ['customer.optOut', 'c1', { channel: 'sms' }],
      ['customer.optIn', 'c1', { channel: 'sms' }],
      ['customer.erase', 'c1', {}],
      ['coupons.createStock', 'welcome10', expect.anything()],
    ]);
  });

  it('records WeCom live codes and handovers without the customer list', async () => {
    await h.as('operator').channels.create({ name: '门店活码', kind: 'liveCode', codes: [{ code: 'store-sh' }] });
    await h.as('operator').wecom.createLiveCode({ code: 'store-sh', userIds: ['zhangsan'] });
    await h.as('admin').wecom.handover({ fromUserId: 'lisi', toUserId: 'wangwu', resigned: true });
    const rows = await entries();
    expect(rows.map((r) => [r.action, r.actorName, r.targetId, JSON.parse(r.summary)])).toEqual([
      ['wecom.createLiveCode', 'operator', 'store-sh', { userIds: ['zhangsan'] }],
      ['wecom.handover', 'admin', 'lisi', { fromUserId: 'lisi', toUserId: 'wangwu', resigned: true, customers: 'all' }],
    ]);
    // The log names the staff member handed over by the staff directory's name, once it has one.
    await h.db.prisma.wecomStaff.create({ data: { userId: 'lisi', name: '李四', syncedAt: new Date() } });
    const listed = await h.as('admin').audit.list({});
    expect(listed.entries.find((e) => e.action === 'wecom.handover')?.targetName).toBe('李四');
  });

  it('records a callback token rotation without the token or the URLs', async () => {
    const { urls } = await h.as('admin').callbacks.rotateToken();
    const token = new URL(urls.find((u) => u.tokenized)?.url ?? '').searchParams.get('token') ?? '';
    expect(token).toHaveLength(43);
    const rows = await entries();
    expect(rows.map((r) => [r.action, r.actorName, r.targetType, JSON.parse(r.summary)])).toEqual([
      ['callbacks.rotateToken', 'admin', 'callbackToken', {}],
    ]);
    expect(JSON.stringify(h.db.sqlite.prepare('SELECT * FROM AuditEntry').all())).not.toContain(token);
  });

  it('is listed for admins only, newest first, filtered by action, actor and time, paged', async () => {
    const operator = h.as('operator');
    const admin = h.as('admin');
    const t0 = h.clock.now();
    for (let i = 0; i < 3; i++) {
      const j = await operator.journeys.create({ name: `j${i}` });
      await operator.journeys.archive({ id: j.id });
      h.clock.advance(60_000);
    }
    await admin.apiKeys.create({ name: 'k', scopes: ['events:write'] });

    await expect(operator.audit.list({})).rejects.toBeInstanceOf(TRPCError);
    await expect(operator.audit.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const all = await admin.audit.list({});
    expect(all.total).toBe(4);
    expect(all.entries[0]?.action).toBe('apiKey.create');
    expect((await admin.audit.list({ action: 'journey.archive' })).total).toBe(3);
    expect((await admin.audit.list({ actor: 'admin' })).entries.map((e) => e.action)).toEqual(['apiKey.create']);
    const window = await admin.audit.list({ from: new Date(t0 + 30_000), to: new Date(t0 + 90_000) });
    expect(window.total).toBe(1);
    expect(window.entries[0]?.at.getTime()).toBe(t0 + 60_000);
    const page2 = await admin.audit.list({ page: 2, pageSize: 3 });
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.entries.map((e) => e.at.getTime())).toEqual([t0]);
    await expect(admin.audit.list({ from: new Date(t0 + 1), to: new Date(t0) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    // Over HTTP a date arrives as a string: an unreadable one is named with the field.
    await expect(admin.audit.list({ to: 'yesterday' as unknown as Date })).rejects.toThrow(
      /"to"[\s\S]*not a valid date-time/,
    );
  });
});

describe('redactSecrets', () => {
  it('drops secret-named fields at any depth and keeps yes/no flags about them', () => {
    expect(
      redactSecrets({
        name: 'x',
        password: 'p',
        nested: [{ apiKey: 'sk_1', privateKey: 'pem', token: 't', keep: 1 }],
        passwordChanged: true,
      }),
    ).toEqual({ name: 'x', nested: [{ keep: 1 }], passwordChanged: true });
  });
});
