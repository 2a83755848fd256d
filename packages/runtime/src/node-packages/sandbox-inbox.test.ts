import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineExecutor, defineNode, defineServerPackage, t } from '@siyu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { type AssembledServer, assembleServer } from '../assembly/assemble.ts';
import { runtimeNodes } from '../assembly/default-nodes.ts';
import { hashPassword } from '../auth/password.ts';
import { newOperatorId, toPrincipal } from '../auth/sessions.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { ManualClock } from '../engine/api.ts';
import { runTestJourney } from '../journeys/test-run.ts';
import { createLogger } from '../logger.ts';
import { createContext } from '../trpc/context.ts';
import { createCaller } from '../trpc/router.ts';
import type { DiscoveredPackage } from './discovery.ts';
import { createSandboxInbox } from './sandbox-inbox.ts';

// A third-party DingTalk-style node (so a third-party node can show its messages in a
// simulation too): without an account, or in a simulation, it records what it would have sent.
const notify = defineNode({
  type: 'fx-ding.notify',
  version: 1,
  category: 'message',
  icon: 'bell',
  label: t('钉钉通知', 'DingTalk notice'),
  config: z.object({ text: z.string().min(1), badChannel: z.boolean().default(false) }),
  defaultConfig: { text: '你好' },
  outputs: [{ id: 'sent', label: t('已发送', 'Sent') }],
  effect: {},
});
const fxDing: DiscoveredPackage = {
  name: '@fx/ding',
  dir: import.meta.dirname,
  nodePackage: { name: 'fx-ding', label: t('钉钉', 'DingTalk'), nodes: [notify] },
  createServer: defineServerPackage((deps) => ({
    name: 'fx-ding',
    executors: [
      defineExecutor(notify, async (ctx) => {
        if (!deps.sandbox && deps.env.FX_DING_TOKEN) throw new Error('a real send is not part of this test');
        await deps.sandboxInbox.record(ctx, {
          to: `ding:${ctx.customer.id}`,
          content: `${ctx.config.text}（${ctx.customer.displayName ?? ctx.customer.id}）`,
          ...(ctx.config.badChannel ? { channel: 'Not A Channel' } : {}),
        });
        return { port: 'sent', data: { simulated: true } };
      }),
    ],
  })),
};

const dir = mkdtempSync(join(tmpdir(), 'siyu-sandbox-inbox-'));
let db: Database;
let server: AssembledServer;
const clock = new ManualClock(Date.parse('2026-12-01T02:00:00Z'));
const journey = (badChannel = false) =>
  graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      ['ding', 'fx-ding.notify', { text: '新品上架', badChannel }],
      ['end', 'core.exit', { reason: 'done' }],
    ],
    [
      ['entry', 'next', 'ding'],
      ['ding', 'sent', 'end'],
    ],
    { quietHours: { enabled: false } },
  );

beforeAll(async () => {
  db = await openDatabase(join(dir, 'live.db'));
  const logger = createLogger('silent');
  server = assembleServer({ db, nodesFor: runtimeNodes(logger, [fxDing]), clock, logger, publicUrl: 'http://x' });
});
afterAll(async () => {
  await server.engine.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('deps.sandboxInbox', () => {
  it("shows a third-party node's message in a simulation's result, next to the built-in ones", async () => {
    await db.prisma.journey.create({
      data: { id: 'ding', name: '钉钉', status: 'draft', draft: JSON.stringify(journey()) },
    });
    const result = await runTestJourney(createContext(server.deps), {
      journeyId: 'ding',
      source: 'draft',
      customer: { tags: [], attributes: {} },
      events: [],
      maxDurationMs: 0,
    });
    expect(result).toMatchObject({ status: 'exited', nodeId: 'end' });
    expect(result.messages).toEqual([
      {
        channel: 'fx-ding',
        recipient: 'ding:test-customer',
        content: '新品上架（测试客户 Test customer）',
        sentAt: result.startAt,
        nodeId: 'ding',
      },
    ]);
    // The simulation's scratch database is gone; the real one holds no message.
    expect(db.sqlite.prepare('SELECT count(*) n FROM Message').get()).toEqual({ n: 0 });
  });

  it('records once per step into the sandbox inbox of a live run, listed by sandbox.messages', async () => {
    publishJourney(db.sqlite, 'ding-live', journey());
    await db.prisma.customer.create({ data: { id: 'amy', displayName: 'Amy' } });
    await server.engine.enroll('ding-live', 'amy');
    await server.engine.tick();
    const op = await db.prisma.operator.create({
      data: {
        id: newOperatorId(),
        username: 'viewer',
        displayName: 'viewer',
        passwordHash: await hashPassword('secret-password'),
        role: 'viewer',
      },
    });
    const api = createCaller(createContext(server.deps, toPrincipal(op)));
    const items = await api.sandbox.messages({ channel: 'fx-ding' });
    expect(items).toMatchObject([
      {
        channel: 'fx-ding',
        customerId: 'amy',
        customerName: 'Amy',
        recipient: 'ding:amy',
        content: '新品上架（Amy）',
        journeyId: 'ding-live',
        nodeId: 'ding',
        status: 'sent',
      },
    ]);
    expect(await api.sandbox.messages({ channel: 'sms' })).toEqual([]);
    // A retried step records nothing new: the row is keyed by the step (and `part`).
    const [key] = db.sqlite.prepare('SELECT idempotencyKey FROM Message').raw().get() as [string];
    const inbox = createSandboxInbox(db, 'fx-ding');
    const step = {
      idempotencyKey: key,
      journey: { id: 'ding-live', versionId: 'v1' },
      nodeId: 'ding',
      customer: { id: 'amy', tags: [], attributes: {}, identities: {} },
      now: new Date(clock.now()),
    };
    await inbox.record(step, { to: 'ding:amy', content: 'retry' });
    await inbox.record(step, { to: 'ding:amy', content: 'second part', part: 'p2' });
    expect(db.sqlite.prepare('SELECT idempotencyKey, content FROM Message ORDER BY id').all()).toEqual([
      { idempotencyKey: key, content: '新品上架（Amy）' },
      { idempotencyKey: `${key}#p2`, content: 'second part' },
    ]);
  });

  it('a malformed message fails the step permanently, naming the field', async () => {
    publishJourney(db.sqlite, 'ding-bad', journey(true));
    await db.prisma.customer.create({ data: { id: 'bob' } });
    await server.engine.enroll('ding-bad', 'bob');
    await server.engine.tick();
    const row = db.sqlite
      .prepare(
        "SELECT e.status, e.lastError FROM OutboxEffect e JOIN Instance i ON i.id = e.instanceId WHERE i.journeyId = 'ding-bad'",
      )
      .get() as { status: string; lastError: string };
    expect(row.status).toBe('failed');
    expect(row.lastError).toContain('sandbox message of package "fx-ding": channel: must be 2–40 lower-case');
  });
});
