// What the provider end-to-end tests (sms, wecom, coupons services) share: minimal entry, wait and
// end nodes so each test draws only the provider's own nodes, a scratch database, and row readers.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createNodeRegistry,
  defineNode,
  defineNodePackage,
  FilterSchema,
  type NodePackage,
  type NodeRegistry,
  type ServerNodePackage,
  t,
} from '@siyu/shared';
import express from 'express';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import type { JourneyEngine } from '../engine/api.ts';
import { webhookRouter } from '../http/webhooks.ts';
import type { Logger } from '../logger.ts';

const apiEntry = defineNode({
  type: 'testonly.apiEntry',
  version: 1,
  category: 'entry',
  icon: 'api',
  label: t('API 入口', 'API entry'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  entry: { trigger: () => ({ kind: 'api' }) },
});
const eventEntry = defineNode({
  type: 'testonly.eventEntry',
  version: 1,
  category: 'entry',
  icon: 'bolt',
  label: t('事件入口', 'Event entry'),
  config: z.object({ event: z.string().min(1), filter: FilterSchema.optional() }),
  defaultConfig: { event: 'wecom.contactAdded' },
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  entry: { trigger: (c) => ({ kind: 'event', event: c.event, filter: c.filter }) },
});
/** Waits 7 days for `event` (default coupon.redeemed): ports matched | timeout. */
const waitFor = defineNode({
  type: 'testonly.waitFor',
  version: 1,
  category: 'flow',
  icon: 'hourglass',
  label: t('等待事件', 'Wait for event'),
  config: z.object({ event: z.string().min(1).default('coupon.redeemed') }),
  defaultConfig: { event: 'coupon.redeemed' },
  outputs: [
    { id: 'matched', label: t('已发生', 'Matched') },
    { id: 'timeout', label: t('超时', 'Timed out') },
  ],
  await: (c, ctx) => ({
    events: [{ type: c.event, port: 'matched' }],
    timeout: { at: new Date(ctx.now.getTime() + 7 * 86_400_000), port: 'timeout' },
  }),
});
const end = defineNode({
  type: 'testonly.end',
  version: 1,
  category: 'goal',
  icon: 'flag',
  label: t('结束', 'End'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [],
});
const testonly = defineNodePackage({
  name: 'testonly',
  label: t('测试', 'Test'),
  nodes: [apiEntry, eventEntry, waitFor, end],
});

/** The provider's package plus the test-only nodes. */
export const registryWith = (pkg: NodePackage): NodeRegistry => createNodeRegistry([pkg, testonly]);

export { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';

export const oneRow = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).get(...params) as Record<string, unknown>;
export const allRows = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).all(...params) as Array<Record<string, unknown>>;

/** POSTs a JSON text the way the providers' callbacks do. */
export const postJson = (url: string, json: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });

/** Serves the packages' webhooks on a local port like the server does; returns `http://…/webhooks`. */
export async function serveWebhooks(
  packages: readonly ServerNodePackage[],
  engine: JourneyEngine,
  logger: Logger,
  cleanups: Array<() => Promise<void>>,
): Promise<string> {
  const app = express().use('/webhooks', webhookRouter(packages, engine, logger));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
}
