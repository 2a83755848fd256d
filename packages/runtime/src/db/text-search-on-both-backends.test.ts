// Search boxes behave alike on both databases: ASCII case is ignored (SQLite's LIKE does so,
// PostgreSQL's does not), in raw SQL and in Prisma filters; JSON attributes are read by any key.
import { describe, expect, it } from 'vitest';
import { bothBackends } from './both-backends.test-helper.ts';
import { containsIgnoringCase } from './prisma-text-filter.ts';
import { cleanupAfterEach } from './scratch-database.test-helper.ts';
import { jsonTextAtParam, likeIgnoringCase } from './sql-dialect.ts';

const cleanups = cleanupAfterEach();
const backends = bothBackends('text_search', cleanups);

describe.each(backends)('text search on %s', (_name, open) => {
  it('finds "vip" in "VIP复购" through LIKE and through Prisma contains', async () => {
    const db = await open();
    for (const [id, name] of [
      ['j1', 'VIP复购'],
      ['j2', '新客欢迎'],
    ]) {
      await db.prisma.journey.create({ data: { id, name, draft: '{}', description: id === 'j2' ? 'Welcome' : '' } });
    }
    const like = likeIgnoringCase(db.dialect);
    expect(await db.sql.all(`SELECT id FROM Journey WHERE name ${like} ?`, ['%vip%'])).toEqual([{ id: 'j1' }]);
    const found = await db.prisma.journey.findMany({
      where: {
        OR: [
          { name: containsIgnoringCase(db.dialect, 'vip') },
          { description: containsIgnoringCase(db.dialect, 'WEL') },
        ],
      },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    expect(found).toEqual([{ id: 'j1' }, { id: 'j2' }]);
  });

  it('reads a JSON attribute by a key an operator typed', async () => {
    const db = await open();
    await db.prisma.customer.create({
      data: { id: 'c1', attributes: JSON.stringify({ 城市: '上海', 'member level': 'gold' }) },
    });
    for (const [key, value] of [
      ['城市', '上海'],
      ['member level', 'gold'],
    ] as const) {
      const at = jsonTextAtParam(db.dialect, 'attributes', key);
      expect(await db.sql.all(`SELECT id FROM Customer WHERE ${at.sql} = ?`, [at.param, value])).toEqual([
        { id: 'c1' },
      ]);
    }
    expect(() => jsonTextAtParam(db.dialect, 'attributes', 'a"b')).toThrow(/quotes/);
  });
});
