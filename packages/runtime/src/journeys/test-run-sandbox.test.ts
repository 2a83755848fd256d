import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { assembleServer } from '../assembly/assemble.ts';
import { runtimeNodes } from '../assembly/default-nodes.ts';
import { openDatabase } from '../db/database.ts';
import { ManualClock } from '../engine/api.ts';
import { createLogger } from '../logger.ts';
import { createContext } from '../trpc/context.ts';
import { runTestJourney } from './test-run.ts';

// The environment configures real providers (Aliyun SMS, a WeCom app, a webhook secret), all
// pointing at one local server that counts every request it gets. A simulation must not send one.
let provider: Server;
const requests: string[] = [];
const saved = { ...process.env };
const dir = mkdtempSync(join(tmpdir(), 'siyu-sim-sandbox-'));

beforeAll(async () => {
  provider = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ errcode: 0, access_token: 'T', expires_in: 7200, Code: 'OK', BizId: 'b1' }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    SMS_PROVIDER: 'aliyun',
    ALIYUN_ACCESS_KEY_ID: 'id',
    ALIYUN_ACCESS_KEY_SECRET: 'secret',
    ALIYUN_SMS_ENDPOINT: `${base}/`,
    WECOM_CORP_ID: 'corp',
    WECOM_SECRET: 'secret',
    WECOM_TOKEN: 'token',
    WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
    WECOM_BASE_URL: base,
    WEBHOOK_SECRET: 'hook-secret',
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise<void>((resolve) => provider.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const journey = (hookUrl: string) =>
  graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      [
        'sms',
        'sms.send',
        {
          templateCode: 'SMS_1',
          signName: '品牌',
          content: '{{displayName}}您好，新品上架',
          params: {},
          kind: 'notice',
        },
      ],
      ['tag', 'wecom.markTags', { add: ['试运行'] }],
      ['hook', 'core.webhook', { url: hookUrl }],
      ['end', 'core.exit', { reason: 'done' }],
    ],
    [
      ['entry', 'next', 'sms'],
      ['sms', 'sent', 'tag'],
      ['tag', 'next', 'hook'],
      ['hook', 'ok', 'end'],
    ],
    { quietHours: { enabled: false } },
  );

describe('test runs always use the sandbox providers', () => {
  it('sends nothing to configured providers or webhook URLs, yet shows what would be sent', async () => {
    const db = await openDatabase(join(dir, 'live.db'));
    const clock = new ManualClock();
    const logger = createLogger('silent');
    const { deps, engine } = assembleServer({
      db,
      nodesFor: runtimeNodes(logger),
      clock,
      logger,
      publicUrl: 'http://localhost:3000',
    });
    const base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    await db.prisma.journey.create({
      data: { id: 'sim', name: '试运行', status: 'draft', draft: JSON.stringify(journey(`${base}/hook`)) },
    });
    const result = await runTestJourney(createContext(deps), {
      journeyId: 'sim',
      source: 'draft',
      customer: { phone: '13800138000', wecomExternalUserId: 'wmSIM', tags: [], attributes: {} },
      events: [],
      maxDurationMs: 86_400_000,
    });
    expect(result).toMatchObject({ status: 'exited', nodeId: 'end' });
    const sms = result.messages.find((m) => m.channel === 'sms');
    // The greeting uses the customer's name (the test customer is called 测试客户).
    expect(sms?.content).toBe('【品牌】测试客户 Test customer您好，新品上架');
    expect(requests).toEqual([]);

    // Control: the same wiring outside a simulation really does reach the configured provider.
    await db.prisma.customer.create({
      data: { id: 'real', identities: { create: [{ kind: 'phone', value: '13800138001' }] } },
    });
    const live = JSON.stringify(journey(`${base}/hook`));
    await db.prisma.journeyVersion.create({ data: { id: 'v1', journeyId: 'sim', version: 1, graph: live } });
    await db.prisma.journey.update({ where: { id: 'sim' }, data: { status: 'live', liveVersionId: 'v1' } });
    await engine.enroll('sim', 'real');
    await engine.tick();
    expect(requests.length).toBeGreaterThan(0);
    await engine.stop();
    await db.close();
  });
});
