// The dialect fragments: each gives the same answer on SQLite and PostgreSQL.
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openPostgresDatabase } from './postgres-database.ts';
import { postgresDatabaseForFile } from './postgres-for-tests.test-helper.ts';
import { cleanupAfterEach, scratchDatabase } from './scratch-database.test-helper.ts';
import type { SqlClient } from './sql-client.ts';
import {
  epochMsOf,
  forUpdate,
  integersOfJsonParam,
  jsonArrayAgg,
  jsonObjectAgg,
  placeholders,
  timeInPeriod,
} from './sql-dialect.ts';

const cleanups = cleanupAfterEach();
const postgresUrl = postgresDatabaseForFile('sql_dialect');
const msOf = (column: string) => epochMsOf('sqlite', column);
const isoInPeriod = (column: string, from: number, to: number) => timeInPeriod('sqlite', column, from, to);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The same instant written the ways a DateTime column may hold it. */
function spellings(ms: number): string[] {
  const iso = new Date(ms).toISOString();
  const withOffset = (hours: number) => {
    const local = new Date(ms + hours * HOUR).toISOString().slice(0, 23);
    const sign = hours < 0 ? '-' : '+';
    return `${local}${sign}${String(Math.abs(hours)).padStart(2, '0')}:00`;
  };
  return [
    iso,
    iso.replace('Z', '+00:00'),
    iso.replace(/\.\d{3}Z$/, 'Z'), // no milliseconds
    withOffset(8),
    withOffset(14),
    withOffset(-12),
    withOffset(-5).replace(/\.\d{3}/, ''),
  ];
}

describe('timeInPeriod on SQLite (ISO-8601 text)', () => {
  it('agrees with julianday conversion for every spelling, near and far from both ends', () => {
    const db = new BetterSqlite3(':memory:');
    db.exec('CREATE TABLE t (at TEXT)');
    const from = Date.UTC(2026, 0, 5, 2);
    const to = from + 10 * DAY;
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    const offsets = [-2 * DAY, -DAY - 1, -DAY, -14 * HOUR, -1, 0, 1, 999, 14 * HOUR, DAY, DAY + 1, 5 * DAY];
    for (const edge of [from, to]) for (const d of offsets) for (const text of spellings(edge + d)) insert.run(text);
    insert.run(null);

    const period = isoInPeriod('at', from, to);
    const fast = db
      .prepare(`SELECT at FROM t WHERE ${period.sql} ORDER BY rowid`)
      .pluck()
      .all(...period.params);
    const exact = db
      .prepare(`SELECT at FROM t WHERE ${msOf('at')} >= ? AND ${msOf('at')} < ? ORDER BY rowid`)
      .pluck()
      .all(from, to);
    expect(exact.length).toBeGreaterThan(50);
    expect(exact.length).toBeLessThan(db.prepare('SELECT count(*) FROM t').pluck().get() as number);
    expect(fast).toEqual(exact);
  });

  it('accepts open ends (the largest safe integers) without failing', () => {
    const db = new BetterSqlite3(':memory:');
    db.exec("CREATE TABLE t (at TEXT); INSERT INTO t VALUES ('2026-01-05T02:00:00.000+00:00')");
    const all = isoInPeriod('at', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(
      db
        .prepare(`SELECT count(*) FROM t WHERE ${all.sql}`)
        .pluck()
        .get(...all.params),
    ).toBe(1);
  });
});

describe.each([
  ['SQLite', async () => (await scratchDatabase('sql-dialect', cleanups)).sql],
  [
    'PostgreSQL',
    async () => {
      const db = await openPostgresDatabase(postgresUrl());
      cleanups.push(async () => {
        await db.pool.query('TRUNCATE "Customer" CASCADE');
        await db.close();
      });
      return db.sql;
    },
  ],
] as const)('dialect fragments on %s', (_name, open) => {
  const T = Date.UTC(2026, 0, 5, 2);
  async function customers(sql: SqlClient) {
    for (const [id, at] of [
      ['early', T - 1],
      ['start', T],
      ['end', T + 1000],
    ] as const) {
      await sql.run("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)", [
        id,
        new Date(at),
        new Date(at),
      ]);
    }
  }

  it('timeInPeriod: a DateTime column in [from, to), open ends included', async () => {
    const sql = await open();
    await customers(sql);
    const ids = async (from: number, to: number) => {
      const period = timeInPeriod(sql.dialect, 'createdAt', from, to);
      return (
        await sql.all<{ id: string }>(`SELECT id FROM Customer WHERE ${period.sql} ORDER BY id`, period.params)
      ).map((r) => r.id);
    };
    expect(await ids(T, T + 1000)).toEqual(['start']);
    expect(await ids(T - 1, T + 1001)).toEqual(['early', 'end', 'start']);
    expect(await ids(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toEqual(['early', 'end', 'start']);
    expect(await ids(T + 1001, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('epochMsOf: integer division of epoch ms truncates alike', async () => {
    const sql = await open();
    await customers(sql);
    const rows = await sql.all<{ id: string; slot: number }>(
      `SELECT id, ${epochMsOf(sql.dialect, 'createdAt')} / 900000 AS slot FROM Customer ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 'early', slot: Math.floor((T - 1) / 900000) },
      { id: 'end', slot: Math.floor((T + 1000) / 900000) },
      { id: 'start', slot: Math.floor(T / 900000) },
    ]);
  });

  it('integersOfJsonParam: the integers of a JSON array parameter, for IN', async () => {
    const sql = await open();
    const row = await sql.get<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT 1 AS x UNION ALL SELECT 7 UNION ALL SELECT 8) t
       WHERE x IN (${integersOfJsonParam(sql.dialect)})`,
      [JSON.stringify([7, 1, 99])],
    );
    expect(row).toEqual({ n: 2 });
  });

  it('jsonArrayAgg and jsonObjectAgg: a group as JSON text', async () => {
    const sql = await open();
    await customers(sql);
    const row = await sql.get<{ ids: string; named: string }>(
      `SELECT ${jsonArrayAgg(sql.dialect, 'id')} AS ids, ${jsonObjectAgg(sql.dialect, 'id', 'attributes')} AS named
       FROM Customer WHERE id IN (${placeholders(2)})`,
      ['start', 'end'],
    );
    expect((JSON.parse(row?.ids ?? 'null') as string[]).sort()).toEqual(['end', 'start']);
    expect(JSON.parse(row?.named ?? 'null')).toEqual({ start: '{}', end: '{}' });
  });

  it('forUpdate: a SELECT that keeps its rows inside a write transaction', async () => {
    const sql = await open();
    await customers(sql);
    const row = await sql.transaction((tx) =>
      tx.get<{ id: string }>(`SELECT id FROM Customer WHERE id = ?${forUpdate(tx.dialect)}`, ['start']),
    );
    expect(row).toEqual({ id: 'start' });
  });
});
