import type { WebhookRequest } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { createMemorySmsDeps, MEMORY_CALLBACK_TOKEN } from './memory-deps.ts';
import { smsWebhooks } from './webhooks.ts';

const post = (
  path: string,
  body: unknown,
  query: Record<string, string> = { token: MEMORY_CALLBACK_TOKEN },
): WebhookRequest => ({
  method: 'POST',
  path,
  query,
  headers: { 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function setup(provider = 'aliyun') {
  const mem = createMemorySmsDeps({ now: () => Date.parse('2026-11-23T02:00:00Z') });
  await mem.deps.claimMessage({
    idempotencyKey: 'k1',
    customerId: 'c1',
    provider,
    kind: 'notice',
    recipient: '+8613800138000',
    content: 'x',
    parts: 1,
    status: 'sending',
    journeyId: 'j',
    nodeId: 'n',
    sentAt: 1,
  });
  await mem.deps.markSent('k1', 'BIZ1');
  const routes = smsWebhooks(mem.deps);
  const route = (path: string, method = 'POST') => {
    const r = routes.find((x) => x.path === path && x.method === method);
    if (!r) throw new Error(path);
    return r;
  };
  return { mem, route };
}

describe('SMS webhooks', () => {
  it('Aliyun receipt: applied once, duplicate ignored, documented reply', async () => {
    const { mem, route } = await setup();
    const receipt = [
      {
        phone_number: '13800138000',
        send_time: '2026-11-23 10:00:00',
        report_time: '2026-11-23 10:00:05',
        success: true,
        err_code: 'DELIVERED',
        err_msg: '用户接收成功',
        sms_size: '1',
        biz_id: 'BIZ1',
        out_id: 'k1',
      },
    ];
    const first = await route('/aliyun/receipts').handle(post('/aliyun/receipts', receipt));
    expect(JSON.parse(first.response.body)).toEqual({ code: 0, msg: '接收成功' });
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({ type: 'sms.delivered', customerId: 'c1' });
    expect(first.events[0]?.occurredAt).toEqual(new Date('2026-11-23T02:00:05Z'));
    expect(mem.messages.get('k1')?.status).toBe('delivered');
    const again = await route('/aliyun/receipts').handle(post('/aliyun/receipts', receipt));
    expect(again.response.status).toBe(200);
    expect(again.events).toEqual([]);
  });

  it('Aliyun replies: R opts out (sms.optedOut), other text is sms.replied', async () => {
    const { mem, route } = await setup();
    const r = await route('/aliyun/replies').handle(
      post('/aliyun/replies', [
        {
          phone_number: '13800138000',
          content: ' r ',
          send_time: '2026-11-23 10:01:00',
          dest_code: '01',
          sequence_id: 11,
        },
        {
          phone_number: '13900139000',
          content: '好的谢谢',
          send_time: '2026-11-23 10:02:00',
          dest_code: '01',
          sequence_id: 12,
        },
      ]),
    );
    expect(JSON.parse(r.response.body)).toEqual({ code: 0, msg: '接收成功' });
    expect(r.events.map((e) => [e.type, e.identities?.phone])).toEqual([
      ['sms.optedOut', '+8613800138000'],
      ['sms.replied', '+8613900139000'],
    ]);
    expect(await mem.deps.isOptedOut('+8613800138000')).toBe(true);
    expect(await mem.deps.isOptedOut('+8613900139000')).toBe(false);
  });

  it('Tencent status callback: FAIL marks failed once; reply {"result":0,"errmsg":"OK"}', async () => {
    const { mem, route } = await setup('tencent');
    const body = [
      {
        user_receive_time: '2026-11-23 10:00:05',
        mobile: '13800138000',
        report_status: 'FAIL',
        errmsg: 'MK:0001',
        description: '空号',
        sid: 'BIZ1',
      },
    ];
    const first = await route('/tencent/receipts').handle(post('/tencent/receipts', body));
    expect(JSON.parse(first.response.body)).toEqual({ result: 0, errmsg: 'OK' });
    expect(first.events[0]).toMatchObject({ type: 'sms.failed', customerId: 'c1' });
    expect(mem.messages.get('k1')).toMatchObject({ status: 'failed', error: 'MK:0001 空号' });
    expect((await route('/tencent/receipts').handle(post('/tencent/receipts', body))).events).toEqual([]);
  });

  it('Tencent reply callback: TD opts out', async () => {
    const { mem, route } = await setup();
    const r = await route('/tencent/replies').handle(
      post('/tencent/replies', { mobile: '13800138000', text: 'TD', time: 1763863200, sign: '品牌', extend: '' }),
    );
    expect(JSON.parse(r.response.body)).toEqual({ result: 0, errmsg: 'OK' });
    expect(r.events[0]).toMatchObject({ type: 'sms.optedOut', occurredAt: new Date(1763863200 * 1000) });
    expect(await mem.deps.isOptedOut('+8613800138000')).toBe(true);
  });

  it('rejects malformed bodies with 400 naming the field', async () => {
    const { route } = await setup();
    const bad = await route('/aliyun/receipts').handle(
      post('/aliyun/receipts', [{ phone_number: '1', success: true }]),
    );
    expect(bad.response.status).toBe(400);
    expect(bad.response.body).toContain('0.biz_id');
    expect((await route('/tencent/replies').handle(post('/tencent/replies', 'not json'))).response.status).toBe(400);
  });

  it('receipts and replies without the callback token (or with a wrong one) change nothing: 401', async () => {
    const { mem, route } = await setup();
    const optOut = [{ phone_number: '13800138000', content: 'R', send_time: '2026-11-23 10:01:00', sequence_id: 1 }];
    const delivered = [{ phone_number: '13800138000', success: true, biz_id: 'BIZ1' }];
    const queries: Array<Record<string, string>> = [
      {},
      { token: '' },
      { token: 'guess' },
      { token: `${MEMORY_CALLBACK_TOKEN}x` },
    ];
    for (const query of queries) {
      const forged = [
        await route('/aliyun/replies').handle(post('/aliyun/replies', optOut, query)),
        await route('/aliyun/receipts').handle(post('/aliyun/receipts', delivered, query)),
        await route('/tencent/replies').handle(post('/tencent/replies', { mobile: '13800138000', text: 'TD' }, query)),
        await route('/tencent/receipts').handle(
          post('/tencent/receipts', [{ mobile: '13800138000', report_status: 'SUCCESS', sid: 'BIZ1' }], query),
        ),
      ];
      for (const r of forged) {
        expect(r.response.status).toBe(401);
        expect(r.response.body).toContain('token');
        expect(r.events).toEqual([]);
      }
    }
    expect(await mem.deps.isOptedOut('+8613800138000')).toBe(false);
    expect(mem.messages.get('k1')?.status).toBe('sent');
  });

  it('a receipt for a message we never sent changes nothing and emits nothing', async () => {
    const { mem, route } = await setup();
    const r = await route('/aliyun/receipts').handle(
      post('/aliyun/receipts', [{ phone_number: '13800138000', success: false, biz_id: 'NOT-OURS' }]),
    );
    expect(r.response.status).toBe(200);
    expect(r.events).toEqual([]);
    expect(mem.messages.get('k1')?.status).toBe('sent');
  });

  it('tracked link: known code → 302 to the target and link.clicked; unknown → 404', async () => {
    const { mem, route } = await setup();
    await mem.deps.saveTrackedLink({
      code: 'abcDEF1234',
      customerId: 'c1',
      url: 'https://shop.example.cn/p?a=1&b=2',
      messageKey: 'k1',
    });
    const hit = await route('/link', 'GET').handle(link('abcDEF1234'));
    expect(hit.response.status).toBe(302);
    expect(hit.response.headers?.location).toBe('https://shop.example.cn/p?a=1&b=2');
    expect(hit.events[0]).toMatchObject({ type: 'link.clicked', customerId: 'c1', data: { code: 'abcDEF1234' } });
    expect((await route('/link', 'GET').handle(link('nope-nope'))).response.status).toBe(404);
  });

  it('tracked link: operator data never reaches a page or script; a stored javascript: URL is not followed', async () => {
    const { mem, route } = await setup();
    const injected = 'https://shop.example.cn/p?q=</script><script>alert(document.cookie)</script>';
    await mem.deps.saveTrackedLink({ code: 'injected01', customerId: 'c1', url: injected, messageKey: 'm1' });
    const hit = await route('/link', 'GET').handle(link('injected01'));
    expect(hit.response.status).toBe(302);
    expect(hit.response.body).not.toMatch(/<script/i);
    expect(hit.response.headers?.location).toBe(new URL(injected).href);
    expect(hit.response.headers?.location).not.toMatch(/[<>"]/);
    // Stored before URLs were restricted to http(s): refused at redirect time, no click recorded.
    for (const [code, url] of [
      ['jsurl00001', 'javascript:alert(document.cookie)'],
      ['dataurl001', 'data:text/html,<script>alert(1)</script>'],
    ] as const) {
      await mem.deps.saveTrackedLink({ code, customerId: 'c1', url, messageKey: code });
      const r = await route('/link', 'GET').handle(link(code));
      expect(r.response.status).toBe(404);
      expect(r.response.headers?.location).toBeUndefined();
      expect(r.response.body).not.toContain(url);
      expect(r.events).toEqual([]);
    }
  });
});

const link = (c: string): WebhookRequest => ({ method: 'GET', path: '/link', query: { c }, headers: {}, body: '' });
