// Tag and attribute nodes applied inside the step (step-fusion.ts) on SQLite and PostgreSQL: the
// customer comes out the same on both, a branch later in the same step sees the change, and no
// outbox row is written for them (no executor is given: a node sent through the outbox would fail).
import { corePackage } from '@siyu/nodes-core';
import { createNodeRegistry } from '@siyu/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { graphOf } from '../../../testing/fixtures.ts';
import { type Backend, postgresBackend, sqliteBackend } from '../../../testing/store-backends.ts';
import { storeEngine } from '../../../testing/store-engine.ts';
import { postgresDatabaseForFile } from '../../db/postgres-for-tests.test-helper.ts';
import { ManualClock } from '../api.ts';

const registry = createNodeRegistry([corePackage]);
const postgresUrl = postgresDatabaseForFile('customer_updates');
let backend: Backend | undefined;
afterEach(async () => {
  await backend?.close();
  backend = undefined;
});

/** Tag, attributes, a branch on both, and a second tag that takes back part of the first. */
const journey = () =>
  graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      ['tag1', 'core.updateTags', { add: ['vip'], remove: ['lead'] }],
      [
        'attrs',
        'core.updateAttributes',
        {
          changes: [
            { op: 'set', name: 'layer', value: 'core' },
            { op: 'increment', name: 'points', by: 10 },
            { op: 'unset', name: 'temp' },
          ],
        },
      ],
      [
        'branch',
        'core.branch',
        {
          cases: [
            {
              id: 'rich',
              label: '高积分',
              filter: {
                match: 'all',
                conditions: [
                  { field: 'tags', op: 'hasTag', value: 'vip' },
                  { field: 'attributes.points', op: 'gte', value: 15 },
                ],
              },
            },
          ],
        },
      ],
      ['tag2', 'core.updateTags', { add: ['gold'], remove: ['vip'] }],
      ['poor', 'core.exit', { reason: 'poor' }],
    ],
    [
      ['entry', 'next', 'tag1'],
      ['tag1', 'next', 'attrs'],
      ['attrs', 'next', 'branch'],
      ['branch', 'rich', 'tag2'],
      ['branch', 'else', 'poor'],
    ],
  );

describe.each([
  ['SQLite', sqliteBackend],
  ['PostgreSQL', () => postgresBackend(postgresUrl())],
] as const)('customer updates in the step on %s', (_name, open) => {
  it('applies tags and attributes with the step, a branch after them sees them, and the outbox stays empty', async () => {
    backend = await open();
    const b = backend;
    const engine = storeEngine(b.store(), registry, [], new ManualClock());
    await b.publish('j', journey());
    await b.customers('c', 0, 2);
    await b.rows(`UPDATE "Customer" SET attributes = ? WHERE id = 'c0' RETURNING id`, '{"points":5,"temp":"x"}');
    await b.rows(
      `INSERT INTO "CustomerTag" ("customerId", tag, source, "createdAt") VALUES ('c0', 'lead', 'import', ?) RETURNING tag`,
      '2026-01-01T00:00:00.000+00:00',
    );

    // One batch enrols both: c0 goes tag → attributes → branch (sees vip and 15 points) → tag.
    const outcomes = await engine.enrollMany('j', ['c0', 'c1']);
    expect(outcomes.map((o) => o.status)).toEqual(['enrolled', 'enrolled']);

    const tags = async (id: string) =>
      (await b.rows(`SELECT tag FROM "CustomerTag" WHERE "customerId" = ? ORDER BY tag`, id)).map((r) => r.tag);
    expect(await tags('c0')).toEqual(['gold']); // vip added then taken back, lead removed
    expect(await tags('c1')).toEqual(['vip']);
    const attributes = async (id: string) =>
      JSON.parse(String((await b.rows(`SELECT attributes FROM "Customer" WHERE id = ?`, id))[0]?.attributes));
    expect(await attributes('c0')).toEqual({ layer: 'core', points: 15 });
    expect(await attributes('c1')).toEqual({ layer: 'core', points: 10 });
    expect(await b.rows(`SELECT "customerId", status, "nodeId" FROM "Instance" ORDER BY "customerId"`)).toEqual([
      { customerId: 'c0', status: 'completed', nodeId: 'tag2' },
      { customerId: 'c1', status: 'exited', nodeId: 'poor' },
    ]);
    expect(Number((await b.rows(`SELECT count(*) AS n FROM "OutboxEffect"`))[0]?.n)).toBe(0);
    // Enter, 3 results for c0; enter, 2 results for c1: the transitions the outbox path takes.
    expect(engine.steps).toBe(7);

    // The timeline reads as the dispatcher's path writes it: each node's result, each move with the
    // port it left by.
    const [{ id } = { id: 0 }] = await b.rows(`SELECT id FROM "Instance" WHERE "customerId" = 'c0'`);
    const timeline = await b.rows(
      `SELECT kind, "nodeId", "fromNodeId", port, detail FROM "StepLog" WHERE "instanceId" = ? ORDER BY id`,
      id,
    );
    expect(timeline.map((r) => `${r.kind}@${r.nodeId}${r.port ? `:${r.port}` : ''}`)).toEqual([
      'enter@null',
      'move@entry',
      'move@tag1:next',
      'effect@tag1:next',
      'move@attrs:next',
      'effect@attrs:next',
      'move@branch:next',
      'move@tag2:rich',
      'effect@tag2:next',
      'complete@tag2',
    ]);
    const results = timeline.filter((r) => r.kind === 'effect').map((r) => JSON.parse(String(r.detail)));
    expect(results[0]).toEqual({
      key: `${id}:tag1:1`,
      status: 'done',
      data: { added: ['vip'], removed: ['lead'] },
      result: 'next',
    });
    expect(results[1]).toMatchObject({
      key: `${id}:attrs:1`,
      data: { attributes: { layer: 'core', points: 15, temp: null } },
    });
  });
});
