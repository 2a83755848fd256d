import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FINISHED_EFFECTS_SQL, seedBacklog } from '../../testing/backlog.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../../testing/server-process.ts';
import { tableCounts } from '../db/backup.ts';
import { openDatabase } from '../db/database.ts';
import { runCli } from './program.ts';

const CUSTOMERS = 3000;
let dir: string;
let server: ServerProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-backup-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function cli(dbPath: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--db', dbPath, ...args], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    progress: false,
  });
  return { code, out, err };
}

function count(sqlite: BetterSqlite3.Database, sql: string): number {
  return (sqlite.prepare(sql).get() as { n: number }).n;
}

/**
 * What a consistent snapshot of the backlog journey (entry → SMS → exit) looks like at any moment:
 * every customer has an instance and one effect; an effect is finished in the same transaction
 * that moves its instance on; a finished effect's message was recorded before it.
 */
function checkSnapshot(file: string): { finished: number; tables: Record<string, number> } {
  const sqlite = new BetterSqlite3(file, { readonly: true });
  try {
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(count(sqlite, 'SELECT count(*) AS n FROM Instance')).toBe(CUSTOMERS);
    expect(count(sqlite, 'SELECT count(*) AS n FROM OutboxEffect')).toBe(CUSTOMERS);
    const finished = count(sqlite, FINISHED_EFFECTS_SQL);
    expect(count(sqlite, "SELECT count(*) AS n FROM Instance WHERE status <> 'active'")).toBe(finished);
    expect(
      count(
        sqlite,
        `SELECT count(*) AS n FROM OutboxEffect e WHERE e.status <> 'pending'
           AND NOT EXISTS (SELECT 1 FROM Message m WHERE m.idempotencyKey = e.idempotencyKey)`,
      ),
    ).toBe(0);
    expect(count(sqlite, 'SELECT count(*) AS n FROM Message')).toBeGreaterThanOrEqual(finished);
    return { finished, tables: tableCounts(sqlite) };
  } finally {
    sqlite.close();
  }
}

describe('pnpm cli backup / restore', () => {
  it('backs up while the server works a backlog, refuses to restore under it, restores once it stops', async () => {
    const dbPath = join(dir, 'siyu.db');
    await seedBacklog(dbPath, CUSTOMERS);
    server = await spawnServer(dbPath);
    await waitForHealth(server, 45_000);
    const live = new BetterSqlite3(dbPath, { readonly: true });
    const finishedLive = () => count(live, FINISHED_EFFECTS_SQL);
    const deadline = Date.now() + 30_000;
    while (finishedLive() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    // Backups one after another while the engine sends and writes.
    const snapshots: { file: string; finished: number; tables: Record<string, number> }[] = [];
    while (snapshots.length < 4 && finishedLive() < CUSTOMERS) {
      const file = join(dir, `backup-${snapshots.length}.db`);
      const backup = await cli(dbPath, 'backup', file);
      expect(backup.err).toBe('');
      expect(backup.code).toBe(0);
      expect(backup.out).toContain('integrity ok');
      snapshots.push({ file, ...checkSnapshot(file) });
    }
    live.close();
    // At least one was taken in the middle of the drain: part sent, part still pending.
    expect(snapshots.some((s) => s.finished > 0 && s.finished < CUSTOMERS)).toBe(true);
    // A backup is one file (no -wal beside it), and the name is never reused.
    const chosen = snapshots[0] as (typeof snapshots)[number];
    expect(existsSync(`${chosen.file}-wal`)).toBe(false);
    expect((await cli(dbPath, 'backup', chosen.file)).code).toBe(2);

    // The server has the database open: a restore would pull the file from under it.
    const refused = await cli(dbPath, 'restore', chosen.file);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('[inUse]');
    expect((await waitForHealth(server, 10_000)).body.ok).toBe(true);

    await server.stop();
    server = undefined;
    const restored = await cli(dbPath, 'restore', chosen.file, '--json');
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    const { previous } = JSON.parse(restored.out) as { previous: string };
    // Nothing is lost: the database that was replaced is kept, consistent, with everything the
    // engine did up to its stop (a graceful stop finishes the batch in flight, not the backlog).
    expect(checkSnapshot(previous).finished).toBeGreaterThanOrEqual(Math.max(...snapshots.map((s) => s.finished)));
    expect(checkSnapshot(dbPath).tables).toEqual(chosen.tables);
    // And the product opens it as usual.
    const db = await openDatabase(dbPath);
    expect(await db.prisma.instance.count()).toBe(CUSTOMERS);
    await db.close();
  }, 120_000);

  it('refuses to restore a file that is not a sound database of ours, and leaves the database alone', async () => {
    const dbPath = join(dir, 'siyu.db');
    const db = await openDatabase(dbPath);
    await db.prisma.customer.create({ data: { id: 'keep-me' } });
    await db.close();

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all, just some text that is long enough to have a header');
    const foreign = join(dir, 'other.db');
    const other = new BetterSqlite3(foreign);
    other.exec('CREATE TABLE t (x)');
    other.close();
    const newer = join(dir, 'newer.db');
    expect((await cli(dbPath, 'backup', newer)).code).toBe(0);
    const future = new BetterSqlite3(newer);
    future
      .prepare(
        "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count) VALUES ('x', 'x', '29990101000000_from_the_future', 0, 0, 1)",
      )
      .run();
    future.close();

    for (const [file, problem] of [
      [text, 'notSqlite'],
      [foreign, 'notOurs'],
      [newer, 'newerSchema'],
    ] as const) {
      const result = await cli(dbPath, 'restore', file);
      expect(result.code).toBe(1);
      expect(result.err).toContain(`[${problem}]`);
    }
    expect((await cli(dbPath, 'restore', join(dir, 'missing.db'))).code).toBe(2);
    const after = new BetterSqlite3(dbPath, { readonly: true });
    expect(count(after, "SELECT count(*) AS n FROM Customer WHERE id = 'keep-me'")).toBe(1);
    after.close();
  });
});
