// Shared set-up of the engine's tests (engine.test.ts, engine-effects.test.ts): a registry with the
// benchmark's sample nodes plus a node whose decide throws, and a fresh database per engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeRegistry, defineNode, defineNodePackage, t } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { afterEach } from 'vitest';
import { z } from 'zod';
import { graphOf } from '../../testing/fixtures.ts';
import { createNaiveEngine } from '../../testing/naive-engine.ts';
import { type SandboxOptions, sampleExecutors } from '../../testing/sample-nodes.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine, type EngineDeps } from './engine.ts';

export const DAY = 86_400_000;
// A node whose decide throws for one customer: a failing step must not poison its batch.
const flaky = defineNode({
  type: 'testonly.flaky',
  version: 1,
  category: 'flow',
  icon: 'bug',
  label: t('会出错', 'Flaky'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  decide: (_c, ctx) => {
    if (ctx.customer.id === 'c3') throw new Error('decide blew up');
    return 'next';
  },
});
// A customer-update node whose update throws, or names a port the node does not have.
const badUpdate = defineNode({
  type: 'testonly.badUpdate',
  version: 1,
  category: 'customer',
  icon: 'tag',
  label: t('坏的更新', 'Bad update'),
  config: z.object({ mode: z.enum(['throw', 'port']) }),
  defaultConfig: { mode: 'throw' },
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
  effect: {},
  customerUpdate: (config) => {
    if (config.mode === 'throw') throw new Error('boom');
    return { update: { addTags: ['never'] }, port: 'nowhere' };
  },
});
export const registry = createNodeRegistry([
  samplePackage,
  defineNodePackage({ name: 'testonly', label: t('测试', 'Test'), nodes: [flaky, badUpdate] }),
]);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

export async function setup(
  sandbox: SandboxOptions = {},
  clock = new ManualClock(),
  mode: 'batched' | 'naive' = 'batched',
  /** More of the engine's settings (pollMs…). */
  more: Partial<EngineDeps> = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-engine-'));
  const db: Database = await openDatabase(join(dir, 'test.db'));
  cleanups.push(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The naive baseline (testing/, measured by the benchmark); this file checks it does the product's work.
  const make = () =>
    (mode === 'naive' ? createNaiveEngine : createEngine)({
      db,
      registry,
      executors: sampleExecutors(db.sqlite, sandbox),
      clock,
      logger: createLogger('silent'),
      ...more,
    });
  return { db, clock, engine: make(), make };
}

export const q = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).all(...params) as Array<Record<string, unknown>>;
export const one = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).get(...params) as Record<string, unknown>;

export const simple = (settings: Record<string, unknown> = {}) =>
  graphOf(
    [
      ['entry', 'sample.apiEntry', {}],
      ['msg', 'sample.send', { channel: 'wecom', text: 'hi' }],
      ['done', 'sample.exit', {}],
    ],
    [
      ['entry', 'next', 'msg'],
      ['msg', 'sent', 'done'],
    ],
    { quietHours: { enabled: false }, ...settings },
  );
