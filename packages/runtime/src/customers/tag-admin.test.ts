// Renaming, merging and deleting tags: on both databases, nobody ends with a tag twice or loses one.
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { openPostgresDatabase } from '../db/postgres-database.ts';
import { postgresDatabaseForFile } from '../db/postgres-for-tests.test-helper.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { createHarness } from '../trpc/harness.test-helper.ts';
import { deleteTag, moveTags, tagUsage } from './tag-admin.ts';

const cleanups = cleanupAfterEach();
const postgresUrl = postgresDatabaseForFile('tag_admin');

async function seed(db: AppDatabase) {
  const tags: Record<string, string[]> = {
    a: ['老客', 'VIP'],
    b: ['老客'],
    c: ['vip', 'VIP会员'],
    d: ['VIP', 'vip', 'VIP会员'],
    e: ['新客'],
  };
  for (const [id, list] of Object.entries(tags)) {
    await db.prisma.customer.create({
      data: { id, attributes: '{}', tags: { create: list.map((tag) => ({ tag, source: 'import' })) } },
    });
  }
}

async function tagsOf(db: AppDatabase): Promise<Record<string, string[]>> {
  const rows = await db.prisma.customerTag.findMany({ orderBy: [{ customerId: 'asc' }, { tag: 'asc' }] });
  const out: Record<string, string[]> = {};
  for (const r of rows) out[r.customerId] = [...(out[r.customerId] ?? []), r.tag];
  return out;
}

describe.each([
  ['SQLite', async (): Promise<AppDatabase> => scratchDatabase('tags', cleanups)],
  [
    'PostgreSQL',
    async (): Promise<AppDatabase> => {
      const db = await openPostgresDatabase(postgresUrl());
      cleanups.push(async () => {
        await db.pool.query('TRUNCATE "Customer", "Journey", "Segment" CASCADE');
        await db.close();
      });
      return db;
    },
  ],
] as const)('tag administration on %s', (_name, open) => {
  it('merges several tags into one, each customer keeping it once', async () => {
    const db = await open();
    await seed(db);
    // The target among the sources is left alone: c and d had one of the others.
    expect(await moveTags(db, ['vip', 'VIP会员', 'VIP'], 'VIP')).toEqual({ customers: 2 });
    expect(await tagsOf(db)).toEqual({ a: ['VIP', '老客'], b: ['老客'], c: ['VIP'], d: ['VIP'], e: ['新客'] });
  });

  it('renames a tag, and deletes one from everyone', async () => {
    const db = await open();
    await seed(db);
    expect(await moveTags(db, ['老客'], '复购客')).toEqual({ customers: 2 });
    expect(await deleteTag(db, 'vip')).toEqual({ customers: 2 });
    expect(await tagsOf(db)).toEqual({
      a: ['VIP', '复购客'],
      b: ['复购客'],
      c: ['VIP会员'],
      d: ['VIP', 'VIP会员'],
      e: ['新客'],
    });
    expect(await moveTags(db, ['新客'], '新客')).toEqual({ customers: 0 });
  });

  it('finds the journeys and segments that name a tag', async () => {
    const db = await open();
    await db.prisma.journey.create({
      data: { id: 'j1', name: '老客复购', draft: JSON.stringify({ nodes: [{ config: { add: ['老客'] } }] }) },
    });
    await db.prisma.journey.create({
      data: { id: 'j2', name: '旧旅程', status: 'archived', draft: JSON.stringify({ config: { add: ['老客'] } }) },
    });
    await db.prisma.journey.create({ data: { id: 'j3', name: '其他', draft: JSON.stringify({ add: ['老客户'] }) } });
    await db.prisma.segment.create({
      data: { id: 's1', name: '老客人群', filter: JSON.stringify({ conditions: [{ value: '老客' }] }) },
    });
    expect(await tagUsage(db, '老客')).toEqual({
      journeys: [{ id: 'j1', name: '老客复购', status: 'draft' }],
      segments: [{ id: 's1', name: '老客人群' }],
    });
  });
});

describe('tags router', () => {
  it('renames with the journeys that still name the old tag, audits, and refuses viewers', async () => {
    const h = await createHarness();
    try {
      await seed(h.db);
      const renamed = await h.as('operator').tags.rename({ from: '老客', to: '复购客' });
      expect(renamed).toEqual({ customers: 2, usage: { journeys: [], segments: [] } });
      expect(await h.as('operator').tags.merge({ tags: ['vip', 'VIP会员'], into: 'VIP' })).toEqual({ customers: 2 });
      expect(await h.as('operator').tags.delete({ tag: '新客' })).toEqual({ customers: 1 });
      await expect(h.as('viewer').tags.delete({ tag: 'VIP' })).rejects.toThrow();
      const audit = await h.db.prisma.auditEntry.findMany({ orderBy: { id: 'asc' } });
      expect(audit.map((a) => a.action)).toEqual(['tags.rename', 'tags.merge', 'tags.delete']);
    } finally {
      await h.close();
    }
  });
});
