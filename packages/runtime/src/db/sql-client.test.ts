// The SQL port on both databases: one statement text, the same rows back.
import { describe, expect, it } from 'vitest';
import { openPostgresDatabase } from './postgres-database.ts';
import { postgresDatabaseForFile } from './postgres-for-tests.test-helper.ts';
import { toPostgresSql } from './postgres-sql.ts';
import { cleanupAfterEach, scratchDatabase } from './scratch-database.test-helper.ts';
import type { SqlClient } from './sql-client.ts';
import { epochMsOf, groupConcat, jsonTextOf } from './sql-dialect.ts';
import { SqliteTransactionSpanError } from './sqlite-sql.ts';

const cleanups = cleanupAfterEach();
const postgresUrl = postgresDatabaseForFile('sql_port');

describe('toPostgresSql', () => {
  it('numbers placeholders and quotes mixed-case names, leaving literals, quoted names and comments alone', () => {
    expect(
      toPostgresSql(
        `SELECT s.journeyId, count(*) AS nodeCount, 'it''s ?' AS t, "keep" FROM StepLog s -- a ? comment\nWHERE s.kind = ? AND s.at >= ?`,
      ),
    ).toBe(
      `SELECT s."journeyId", count(*) AS "nodeCount", 'it''s ?' AS t, "keep" FROM "StepLog" s -- a ? comment\nWHERE s.kind = $1 AND s.at >= $2`,
    );
  });

  it('says where a literal is not closed', () => {
    expect(() => toPostgresSql("SELECT 'oops")).toThrow(/unterminated string literal/);
  });
});

async function seed(sql: SqlClient) {
  await sql.run(
    `INSERT INTO Journey (id, name, status, draft, createdAt, updatedAt) VALUES (?, ?, 'draft', '{}', ?, ?)`,
    ['j1', '复购旅程', new Date('2026-12-01T08:00:00.000Z'), new Date('2026-12-01T08:00:00.000Z')],
  );
  await sql.run(`INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, ?, ?, ?)`, [
    'c1',
    JSON.stringify({ city: '杭州', level: 3 }),
    new Date('2026-12-02T00:00:00.000Z'),
    new Date('2026-12-02T00:00:00.000Z'),
  ]);
}

describe.each([
  ['SQLite', async () => (await scratchDatabase('sql-port', cleanups)).sql],
  [
    'PostgreSQL',
    async () => {
      const db = await openPostgresDatabase(postgresUrl());
      cleanups.push(async () => {
        await db.pool.query('TRUNCATE "Journey", "Customer" CASCADE');
        await db.close();
      });
      return db.sql;
    },
  ],
] as const)('the SQL port on %s', (_name, open) => {
  it('reads rows as SQLite does: DateTime as ISO text, counts as numbers, booleans 0/1, JSON as text', async () => {
    const sql = await open();
    await seed(sql);
    const journey = await sql.get<{ name: string; createdAt: string; ms: number }>(
      `SELECT name, createdAt, ${epochMsOf(sql.dialect, 'createdAt')} AS ms FROM Journey WHERE id = ?`,
      ['j1'],
    );
    expect(journey).toBeDefined();
    expect(new Date(journey?.createdAt as string).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(journey?.ms).toBe(Date.parse('2026-12-01T08:00:00.000Z'));
    const counted = await sql.get<{ n: number; yes: number }>(`SELECT count(*) AS n, TRUE AS yes FROM Journey`);
    expect(counted).toEqual({ n: 1, yes: 1 });
    const city = await sql.get<{ city: string; joined: string }>(
      `SELECT ${jsonTextOf(sql.dialect, 'attributes', 'city')} AS city, ${groupConcat(sql.dialect, 'id', "','")} AS joined
       FROM Customer GROUP BY attributes`,
    );
    expect(city).toEqual({ city: '杭州', joined: 'c1' });
    expect(await sql.get('SELECT id FROM Journey WHERE id = ?', ['none'])).toBeUndefined();
  });

  it('compares DateTime columns with Date parameters', async () => {
    const sql = await open();
    await seed(sql);
    const since = await sql.all<{ id: string }>('SELECT id FROM Journey WHERE createdAt >= ?', [
      new Date('2026-12-01T07:59:59.999Z'),
    ]);
    expect(since).toEqual([{ id: 'j1' }]);
    expect(await sql.all('SELECT id FROM Journey WHERE createdAt > ?', [new Date('2026-12-01T08:00:00.000Z')])).toEqual(
      [],
    );
  });

  it('commits a transaction that resolves and undoes one that throws', async () => {
    const sql = await open();
    await seed(sql);
    await sql.transaction(async (tx) => {
      await tx.run(`UPDATE Journey SET name = ? WHERE id = ?`, ['新名字', 'j1']);
      expect((await tx.run(`UPDATE Journey SET status = 'live' WHERE id = ? RETURNING id`, ['j1'])).changes).toBe(1);
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.run(`UPDATE Journey SET name = ? WHERE id = ?`, ['丢掉', 'j1']);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await sql.get('SELECT name, status FROM Journey WHERE id = ?', ['j1'])).toEqual({
      name: '新名字',
      status: 'live',
    });
  });

  it('keeps statements from outside an open transaction out of it', async () => {
    const sql = await open();
    await seed(sql);
    const outside: Promise<unknown>[] = [];
    await expect(
      sql.transaction(async (tx) => {
        await tx.run(`UPDATE Journey SET name = ? WHERE id = ?`, ['丢掉', 'j1']);
        outside.push(sql.run(`UPDATE Customer SET displayName = ? WHERE id = ?`, ['王', 'c1']));
        await tx.get('SELECT 1 AS one');
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    await Promise.all(outside);
    expect(await sql.get('SELECT displayName FROM Customer WHERE id = ?', ['c1'])).toEqual({ displayName: '王' });
    expect(await sql.get('SELECT name FROM Journey WHERE id = ?', ['j1'])).toEqual({ name: '复购旅程' });
  });
});

describe('SQLite transactions through the port', () => {
  it('are rolled back with a clear error when their work waits on I/O', async () => {
    const sql = (await scratchDatabase('sql-port-span', cleanups)).sql;
    await seed(sql);
    await expect(
      sql.transaction(async (tx) => {
        await tx.run(`UPDATE Journey SET name = ? WHERE id = ?`, ['丢掉', 'j1']);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    ).rejects.toThrow(SqliteTransactionSpanError);
    expect(await sql.get('SELECT name FROM Journey WHERE id = ?', ['j1'])).toEqual({ name: '复购旅程' });
  });
});
