// Upgrading a node package must not strand customers: a node type bumped to v2 (with a correct config
// migration) while customers are in flight on a version published at v1. The version must keep compiling
// (the compiler upgrades on load) and a new publish must store the upgraded config.
import {
  createNodeRegistry,
  defineExecutor,
  defineNode,
  defineNodePackage,
  graphAtTypeVersions,
  type JourneyGraph,
  migrateConfigFrom,
  type NodeExecutor,
  t,
} from '@siyu/shared';
import { apiEntry, wait } from '@siyu/shared/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addCustomers, graphOf } from '../../testing/fixtures.ts';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { publishDraft } from '../journeys/publish.ts';
import { createLogger } from '../logger.ts';
import { ManualClock } from './api.ts';
import { createEngine } from './engine.ts';

const DAY = 86_400_000;
const base = {
  type: 'ding.say',
  category: 'message',
  icon: 'bell',
  label: t('叮', 'Ding'),
  outputs: [{ id: 'done', label: t('完成', 'Done'), required: false }],
  effect: {},
} as const;
const dingV1 = defineNode({
  ...base,
  version: 1,
  config: z.object({ text: z.string().min(1) }),
  defaultConfig: { text: 'hi' },
});
// v2 renames `text` and adds a field: a v1 config no longer fits the v2 schema.
const dingV2 = defineNode({
  ...base,
  version: 2,
  config: z.object({ body: z.string().min(1), loud: z.boolean() }),
  defaultConfig: { body: 'hi', loud: false },
  migrations: [{ from: 1, name: 'text-to-body', up: (old) => ({ body: old.text, loud: false }) }],
});

const said: string[] = [];
const registryWith = (ding: typeof dingV1 | typeof dingV2) =>
  createNodeRegistry([defineNodePackage({ name: 'ding', label: t('叮', 'Ding'), nodes: [apiEntry, wait, ding] })]);
const executorsV1: NodeExecutor[] = [
  defineExecutor(dingV1, async ({ config }) => {
    said.push(`v1:${config.text}`);
    return { port: 'done' };
  }),
];
const executorsV2: NodeExecutor[] = [
  defineExecutor(dingV2, async ({ config }) => {
    said.push(`v2:${config.body}:${config.loud}`);
    return { port: 'done' };
  }),
];

const journey = graphOf(
  [
    ['start', 'sample.apiEntry', {}],
    ['wait', 'sample.wait', { duration: { amount: 1, unit: 'days' } }],
    ['ding', 'ding.say', { text: '欢迎' }],
  ],
  [
    ['start', 'next', 'wait'],
    ['wait', 'next', 'ding'],
  ],
);

const cleanups = cleanupAfterEach();
afterEach(() => {
  said.length = 0;
});

const openDb = (): Promise<Database> => scratchDatabase('migrate', cleanups);

describe('node config migrations', () => {
  it('the helper proves a package migration from a config saved at v1', () => {
    expect(migrateConfigFrom(dingV2, 1, { text: '欢迎' })).toEqual({ body: '欢迎', loud: false });
    expect(() => migrateConfigFrom(dingV2, 1, {})).toThrow(/ding.say v1 → v2/);
    expect(graphAtTypeVersions(journey, { 'ding.say': 1 }).nodes.map((n) => n.typeVersion)).toEqual([1, 1, 1]);
  });

  it('customers in flight on a version published at v1 finish after the node is bumped to v2', async () => {
    const db = await openDb();
    const clock = new ManualClock();
    await db.prisma.journey.create({ data: { id: 'j1', name: '欢迎旅程', draft: JSON.stringify(journey) } });
    const published = await publishDraft(db, registryWith(dingV1), 'j1');
    expect(published.ok).toBe(true);

    const v1 = createEngine({
      db,
      registry: registryWith(dingV1),
      executors: executorsV1,
      clock,
      logger: createLogger('silent'),
    });
    const ids = addCustomers(db.sqlite, 'c', 0, 5);
    expect((await v1.enrollMany('j1', ids)).every((o) => o.status === 'enrolled')).toBe(true);
    await v1.tick();
    await v1.stop();

    // The package is upgraded (a restart with the v2 definition) while all five wait a day.
    const v2 = createEngine({
      db,
      registry: registryWith(dingV2),
      executors: executorsV2,
      clock,
      logger: createLogger('silent'),
    });
    clock.advance(DAY);
    const tick = await v2.tick();
    expect(tick.timersFired).toBe(5);
    expect(said).toEqual(Array(5).fill('v2:欢迎:false'));
    const statuses = db.sqlite.prepare('SELECT status, count(*) n FROM Instance GROUP BY status').all();
    expect(statuses).toEqual([{ status: 'completed', n: 5 }]);
    await v2.stop();
  });

  it('publishing a draft saved at v1 stores the upgraded config at v2', async () => {
    const db = await openDb();
    await db.prisma.journey.create({ data: { id: 'j2', name: '欢迎旅程', draft: JSON.stringify(journey) } });
    const result = await publishDraft(db, registryWith(dingV2), 'j2');
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const stored = await db.prisma.journeyVersion.findUniqueOrThrow({ where: { id: result.versionId } });
    const ding = (JSON.parse(stored.graph) as JourneyGraph).nodes.find((n) => n.id === 'ding');
    expect(ding).toMatchObject({ typeVersion: 2, config: { body: '欢迎', loud: false } });
  });
});
