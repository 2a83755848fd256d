import pg from 'pg';

/**
 * How the raw pool (the engine's batched SQL) reads PostgreSQL values, so rows look like the
 * SQLite path's and like what Prisma wrote. Prisma's adapter passes its own parsers per query, so
 * the typed client is unaffected.
 *
 * - int8 (BIGINT: epoch-ms columns, count(*)) → number, as better-sqlite3 returns them; a value
 *   beyond 2^53 throws rather than silently rounding.
 * - timestamp (Prisma's DateTime is `timestamp(3)`, UTC without a zone) → Date read as UTC. pg's
 *   default reads it in the process's local zone, which would shift every time by the server's
 *   offset (8 h on a machine set to Asia/Shanghai).
 */
const INT8_OID = 20;
const TIMESTAMP_OID = 1114;

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} does not fit a JavaScript number`);
  return value;
}

function parseUtcTimestamp(text: string): Date {
  // 'YYYY-MM-DD HH:MM:SS.mmm' (no zone): the wall time is UTC by Prisma's convention.
  return new Date(`${text.replace(' ', 'T')}Z`);
}

export const RAW_POOL_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary') {
      if (oid === INT8_OID) return parseInt8;
      if (oid === TIMESTAMP_OID) return parseUtcTimestamp;
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};
