import { describe, expect, it } from 'vitest';
import { migrationNames, POSTGRES_MIGRATIONS_DIR } from './migrations.ts';
import { openPostgresDatabase } from './postgres-database.ts';
import { freshPostgresDatabase } from './postgres-for-tests.test-helper.ts';
import { cleanupAfterEach } from './scratch-database.test-helper.ts';

const cleanups = cleanupAfterEach();

describe('openPostgresDatabase', () => {
  it('migrates a fresh database, then writes and reads a journey and a customer through Prisma', async () => {
    const database = await freshPostgresDatabase('open_postgres', cleanups, { migrate: false });
    const db = await openPostgresDatabase(database.url);
    cleanups.push(() => db.close());
    expect(db.migration.applied).toEqual(migrationNames(POSTGRES_MIGRATIONS_DIR));

    await db.prisma.journey.create({ data: { id: 'j1', name: '新客欢迎', draft: '{"nodes":[]}' } });
    await db.prisma.customer.create({
      data: {
        id: 'c1',
        displayName: '王小姐',
        attributes: '{"city":"上海"}',
        identities: { create: [{ kind: 'phone', value: '+8613800138000' }] },
        tags: { create: [{ tag: 'vip' }] },
      },
    });
    const journey = await db.prisma.journey.findUniqueOrThrow({ where: { id: 'j1' } });
    expect(journey).toMatchObject({ name: '新客欢迎', status: 'draft', draftRevision: 1 });
    expect(journey.createdAt).toBeInstanceOf(Date);
    const customer = await db.prisma.customer.findUniqueOrThrow({
      where: { id: 'c1' },
      include: { identities: true, tags: true },
    });
    expect(customer.displayName).toBe('王小姐');
    expect(JSON.parse(customer.attributes)).toEqual({ city: '上海' });
    expect(customer.identities.map((i) => [i.kind, i.value])).toEqual([['phone', '+8613800138000']]);
    expect(customer.tags.map((t) => t.tag)).toEqual(['vip']);

    // The raw pool sees the same rows (the engine's batched SQL will go through it), with BIGINT
    // as numbers (as better-sqlite3 gives them) and Prisma's UTC timestamps as the same instants.
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*) AS n FROM "CustomerIdentity"');
    expect(rows[0]?.n).toBe(1);
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      const raw = await db.pool.query<{ createdAt: Date }>('SELECT "createdAt" FROM "Journey" WHERE id = $1', ['j1']);
      expect(raw.rows[0]?.createdAt.toISOString()).toBe(journey.createdAt.toISOString());
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    // BigInt columns (epoch ms) round-trip beyond 2^31.
    const dueAt = 1_800_000_000_000n;
    const timer = await db.prisma.timer.create({ data: { instanceId: 1, dueAt, key: 'wait:1' } });
    expect(timer.dueAt).toBe(dueAt);
    const rawTimer = await db.pool.query<{ dueAt: number }>('SELECT "dueAt" FROM "Timer" WHERE id = $1', [timer.id]);
    expect(rawTimer.rows[0]?.dueAt).toBe(1_800_000_000_000);
    await expect(db.pool.query('SELECT 9007199254740993::bigint AS n')).rejects.toThrow(/does not fit/);
  }, 60_000);

  it('a second start finds the database migrated and applies nothing', async () => {
    const database = await freshPostgresDatabase('reopen_postgres', cleanups);
    await (await openPostgresDatabase(database.url)).close();
    const again = await openPostgresDatabase(database.url, { applicationName: 'siyu-worker' });
    cleanups.push(() => again.close());
    expect(again.migration).toEqual({ applied: [], waitedForLockMs: 0 });
    const { rows } = await again.pool.query<{ name: string }>("SELECT current_setting('application_name') AS name");
    expect(rows[0]?.name).toBe('siyu-worker');
  }, 60_000);
});
