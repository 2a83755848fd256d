// biome-ignore-all lint/suspicious/noTemplateCurlyInString: SMS template texts in Aliyun's ${name} syntax
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourneyOn } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { addCustomer, createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

let h: Harness<AppDatabase>;
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(() => h.close());

const REBUY = {
  name: '复购券提醒',
  provider: 'aliyun' as const,
  signName: '私域小店',
  templateCode: 'SMS_4711',
  text: '${name}您好，送您一张券${code}，尾号${tail}专享。拒收请回复R',
  kind: 'marketing' as const,
};

describe.each(BACKENDS)('SMS templates and coupon batches on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ nodes: 'product', backend });
  });

  it('registers templates once per provider code, lists their variables, refuses what a provider would', async () => {
    const created = await h.as('operator').smsTemplates.register(REBUY);
    await expect(h.as('operator').smsTemplates.register({ ...REBUY, name: 'again' })).rejects.toThrow(
      /SMS_4711.*already registered/,
    );
    // A marketing text without opt-out words, and the other provider's variable syntax.
    await expect(
      h.as('operator').smsTemplates.register({ ...REBUY, templateCode: 'SMS_1', text: '${name}您好' }),
    ).rejects.toThrow(/opt out/);
    await expect(
      h.as('operator').smsTemplates.register({ ...REBUY, templateCode: 'SMS_2', kind: 'notice', text: '{1}您好' }),
    ).rejects.toThrow(/Aliyun variables/);
    await expect(h.as('viewer').smsTemplates.register({ ...REBUY, templateCode: 'SMS_3' })).rejects.toThrow();
    const listed = await h.as('viewer').smsTemplates.list();
    expect(listed.map((t) => [t.id, t.variables])).toEqual([[created.id, ['name', 'code', 'tail']]]);
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'smsTemplates.register' } });
    expect(audit.map((a) => a.targetId)).toEqual([created.id]);
  });

  it('a batch is whole days in Asia/Shanghai; an SMS node with a template sends each customer their own values', async () => {
    const stock = await h.as('operator').coupons.create({
      name: '回购立减10元',
      amountCents: 1000,
      maxCoupons: 50,
      validFromDay: '2026-01-01',
      validToDay: '2026-12-31',
    });
    expect(stock.validFrom.toISOString()).toBe('2025-12-31T16:00:00.000Z');
    expect(stock.validTo.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    await expect(
      h.as('operator').coupons.create({
        name: 'x',
        amountCents: 1,
        maxCoupons: 1,
        validFromDay: '2026-12-02',
        validToDay: '2026-12-01',
      }),
    ).rejects.toThrow(/validToDay/);

    const template = await h.as('operator').smsTemplates.register(REBUY);
    const sms = (variables: Record<string, unknown>) => ({ templateId: template.id, variables });
    const nodes = (variables: Record<string, unknown>) =>
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['issue', 'coupons.issue', { stockId: stock.id }],
          ['sms', 'sms.send', sms(variables)],
          ['done', 'core.exit', { reason: 'sent' }],
        ],
        [
          ['entry', 'next', 'issue'],
          ['issue', 'issued', 'sms'],
          ['sms', 'sent', 'done'],
        ],
      );
    // Unmapped variables and a missing template are problems on the node, before publishing.
    const partial = await h.as('viewer').journeys.validate({
      graph: nodes({ name: { source: 'displayName' }, code: { source: 'coupon', value: '' } }),
    });
    expect(partial.problems.filter((p) => p.nodeId === 'sms').map((p) => [p.code, p.path])).toEqual([
      ['smsVariableUnmapped', 'variables.code'],
      ['smsVariableUnmapped', 'variables.tail'],
    ]);
    const missing = await h.as('viewer').journeys.validate({
      graph: graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['sms', 'sms.send', { templateId: 'smt_gone', variables: {} }],
          ['done', 'core.exit', { reason: 'sent' }],
        ],
        [
          ['entry', 'next', 'sms'],
          ['sms', 'sent', 'done'],
        ],
      ),
    });
    expect(missing.problems.map((p) => [p.code, p.path])).toEqual([['resourceMissing', 'templateId']]);

    const mapped = nodes({
      name: { source: 'displayName' },
      code: { source: 'coupon', value: stock.id },
      tail: { source: 'phoneTail' },
    });
    expect((await h.as('viewer').journeys.validate({ graph: mapped })).problems).toEqual([]);
    await publishJourneyOn(h.db, 'rebuy', mapped);
    await addCustomer(h, 'c1', { phone: '13800138001' });
    await addCustomer(h, 'c2', { phone: '13900139002' });
    await h.db.prisma.customer.update({ where: { id: 'c1' }, data: { displayName: '王芳' } });
    await h.db.prisma.customer.update({ where: { id: 'c2' }, data: { displayName: '李雷' } });
    for (const id of ['c1', 'c2']) await h.engine.enroll('rebuy', id);
    await h.engine.tick();

    const coupons = new Map((await h.db.prisma.coupon.findMany()).map((c) => [c.customerId, c.id]));
    const messages = await h.db.prisma.message.findMany({ where: { channel: 'sms' }, orderBy: { customerId: 'asc' } });
    expect(messages.map((m) => [m.customerId, m.content, m.status])).toEqual([
      ['c1', `【私域小店】王芳您好，送您一张券${coupons.get('c1')}，尾号8001专享。拒收请回复R`, 'sent'],
      ['c2', `【私域小店】李雷您好，送您一张券${coupons.get('c2')}，尾号9002专享。拒收请回复R`, 'sent'],
    ]);
    const [listed] = await h.as('viewer').coupons.stocks();
    expect(listed).toMatchObject({ id: stock.id, issued: 2, redeemed: 0, remaining: 48 });
  });
});
