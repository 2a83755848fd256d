import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isoInPeriod, msOf } from './common.ts';

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

describe('isoInPeriod', () => {
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
