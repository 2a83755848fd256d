import type { SqlDialect } from './sql-client.ts';

/**
 * A Prisma `contains` filter that ignores ASCII case on both databases, as operators expect of a
 * search box ("vip" finds "VIP复购"). On SQLite Prisma's `contains` is LIKE, which already does,
 * and the SQLite client has no `mode`; on PostgreSQL it needs `mode: 'insensitive'` (ILIKE). The
 * clients share the SQLite client's type, so the mode is added outside it.
 */
export function containsIgnoringCase(dialect: SqlDialect, text: string): { contains: string } {
  return dialect === 'postgresql'
    ? ({ contains: text, mode: 'insensitive' } as { contains: string })
    : { contains: text };
}
