import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresDatabaseForFile } from '../../../db/postgres-for-tests.test-helper.ts';
import { inlineParams, StatementBatch } from './inline-sql.ts';

const postgresUrl = postgresDatabaseForFile('inline_sql', { migrate: false });
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
});
afterAll(() => client?.end());

// Values that break naive quoting: quotes, backslashes, placeholders and separators inside values,
// array syntax inside elements, NULLs in arrays, non-BMP characters, JSON, dates, big numbers.
const TEXTS = [
  "O'Brien",
  'back\\slash \\\\ and \\x41',
  'a $1 and $2 inside; DROP TABLE x; --',
  '{"json": "with \\"quotes\\"", "n": [1, 2]}',
  '{braces},"commas",(parens)',
  '张伟 😀 \u0000'.replace('\u0000', ''),
  '',
  "E'escape'",
];

describe('inlineParams: statements with their values inlined read exactly what bound parameters would', () => {
  it('text, arrays with NULLs, numbers, booleans, dates and JSON come back unchanged', async () => {
    const values = [
      TEXTS,
      [1, null, 3],
      [1_734_000_000_123, 9_007_199_254_740_991],
      [true, false, null],
      [new Date('2026-03-02T00:00:00.123Z'), null],
      TEXTS[0],
      null,
      42.5,
    ];
    const sql = `SELECT $1::text[] AS texts, $2::int[] AS ints, $3::bigint[] AS bigs, $4::bool[] AS flags,
      $5::timestamptz[] AS dates, $6::text AS one, $7::text AS missing, $8::float8 AS num`;
    const bound = (await client.query(sql, values)).rows[0];
    const inlined = (await client.query(inlineParams(sql, values))).rows[0];
    expect(inlined).toEqual(bound);
    expect(inlined.texts).toEqual(TEXTS);
  });

  it('a value is never scanned for placeholders; a missing value is an error, not NULL', () => {
    expect(inlineParams('SELECT $1, $2', ['$2', 'x'])).toBe("SELECT '$2', 'x'");
    expect(() => inlineParams('SELECT $1, $2', ['only one'])).toThrow(/no value for \$2/);
  });

  it('a StatementBatch runs in one round trip, in order, each statement seeing the ones before', async () => {
    await client.query('CREATE TEMP TABLE t (id int PRIMARY KEY, v text)');
    const batch = new StatementBatch();
    batch.add('INSERT INTO t SELECT * FROM unnest($1::int[], $2::text[])', [
      [1, 2],
      ["it's", null],
    ]);
    batch.add('UPDATE t SET v = $1 WHERE id = $2', ['changed; $1', 2]);
    expect(batch.size).toBe(2);
    await client.query(batch.take());
    expect(batch.size).toBe(0);
    expect((await client.query('SELECT id, v FROM t ORDER BY id')).rows).toEqual([
      { id: 1, v: "it's" },
      { id: 2, v: 'changed; $1' },
    ]);
  });

  it('leaves $n inside quoted literals and identifiers alone and refuses dollar quoting', () => {
    expect(inlineParams(`SELECT '$1 it''s', "col$1", $1`, ['v'])).toBe(`SELECT '$1 it''s', "col$1", 'v'`);
    expect(() => inlineParams('SELECT $$ $1 $$', ['v'])).toThrow(/dollar-quoted/);
  });
});
