// What a bench run cost PostgreSQL, read from the server itself:
//  - CPU: /proc/<pid>/stat (utime + stime) of the backends serving the bench database (pids from
//    pg_stat_activity, sampled every 200 ms while the run goes, so backends born and gone in it
//    count), and of the whole server (postmaster with its reaped children + every live child:
//    background writer, WAL writer, checkpointer, and other databases' backends — on a shared
//    server that figure includes others' load). pg_stat_statements would need
//    shared_preload_libraries (a restart); /proc needs the server on this machine, else null.
//  - rows: pg_stat_user_tables n_tup_ins / n_tup_upd / n_tup_del deltas (this database only),
//  - transactions and deadlocks: pg_stat_database (this database only),
//  - WAL bytes: the records touching this database's blocks between the start and end LSNs, read
//    with pg_walinspect (commit records, ~1 per 100 steps, are not counted); when the extension is
//    missing or the WAL too long to scan, the pg_current_wal_lsn() delta (server-wide: on a shared
//    server an upper bound), as `walSource` says,
//  - connections: the most backends on the bench database seen in one sample.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { RAW_POOL_TYPES } from '../../src/db/postgres-types.ts';

export interface TableWrites {
  inserted: number;
  updated: number;
  /** Of `updated`: heap-only (no index entries written). */
  hotUpdated: number;
  deleted: number;
}

export interface PostgresCost {
  /** CPU seconds of the backends serving the bench database; null when /proc cannot see the server. */
  backendCpuSeconds: number | null;
  /** CPU seconds of the whole server (background processes and other databases included). */
  serverCpuSeconds: number | null;
  rows: TableWrites & { byTable: Record<string, TableWrites> };
  commits: number;
  rollbacks: number;
  deadlocks: number;
  walBytes: number;
  walSource: 'pg_walinspect: records of this database' | 'pg_current_wal_lsn: server-wide';
  /** The pg_current_wal_lsn() delta: every database's WAL, and the server's own. */
  serverWalBytes: number;
  peakConnections: number;
  /**
   * The bench database's busy backends, sampled every 200 ms: how often one was running, idle in
   * a transaction (the worker computing a batch's steps between its statements), or waiting on
   * what (`Lock:transactionid`: another transaction's row lock; `IO:WALSync`, `LWLock:WALWrite`:
   * commits waiting for the WAL).
   */
  activity: { samples: number; byWaitEvent: Record<string, number> };
}

function sortedByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime, stime, cutime, cstime and ppid of a process (ticks), or undefined once it is gone. */
function procStat(pid: number): { command: string; own: number; children: number; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its last ')'.
    const end = text.lastIndexOf(')');
    const f = text.slice(end + 2).split(' ');
    const n = (i: number) => Number(f[i]);
    return { command: text.slice(text.indexOf('(') + 1, end), ppid: n(1), own: n(11) + n(12), children: n(13) + n(14) };
  } catch {
    return undefined;
  }
}

/** The whole server's CPU ticks: the postmaster with what its exited children used, plus the live ones. */
function serverTicks(postmaster: number): number | undefined {
  const root = procStat(postmaster);
  if (!root) return undefined;
  let ticks = root.own + root.children;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const child = procStat(Number(name));
    if (child?.ppid === postmaster) ticks += child.own;
  }
  return ticks;
}

async function tableWrites(client: pg.Client): Promise<Record<string, TableWrites>> {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query(
    'SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del FROM pg_stat_user_tables',
  );
  return Object.fromEntries(
    rows.map((r) => [
      String(r.relname),
      {
        inserted: Number(r.n_tup_ins),
        updated: Number(r.n_tup_upd),
        hotUpdated: Number(r.n_tup_hot_upd),
        deleted: Number(r.n_tup_del),
      },
    ]),
  );
}

async function databaseCounters(client: pg.Client, database: string) {
  await client.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await client.query(
    `SELECT xact_commit, xact_rollback, deadlocks, pg_current_wal_lsn()::text AS lsn,
       pg_current_wal_flush_lsn()::text AS "flushLsn"
     FROM pg_stat_database WHERE datname = $1`,
    [database],
  );
  const r = rows[0] ?? {};
  return {
    commits: Number(r.xact_commit),
    rollbacks: Number(r.xact_rollback),
    deadlocks: Number(r.deadlocks),
    lsn: String(r.lsn),
    /** pg_walinspect reads only flushed WAL; the run's commits are flushed (synchronous_commit). */
    flushLsn: String(r.flushLsn),
  };
}

/** Scanning WAL takes ~1 s per 25 MB, and a long run's first segments may be recycled already. */
const MAX_WAL_SCAN_BYTES = 512 * 2 ** 20;

/**
 * Bytes of the WAL records between two LSNs that touch blocks of the connected database (their
 * block references read `rel <tablespace>/<database oid>/<relation>`); undefined when pg_walinspect
 * is not installed in it (section.ts installs it in the scratch database), the span is too long, or
 * a checkpoint during the run recycled the segment it started in (SIYU_BENCH_DEBUG=1 says which).
 */
async function walOfDatabase(client: pg.Client, from: string, to: string, span: number): Promise<number | undefined> {
  if (span > MAX_WAL_SCAN_BYTES) return undefined;
  try {
    const { rows } = await client.query(
      `SELECT COALESCE(sum(record_length), 0)::float8 AS bytes FROM pg_get_wal_records_info($1, $2)
       WHERE block_ref LIKE '%/' || (SELECT oid FROM pg_database WHERE datname = current_database()) || '/%'`,
      [from, to],
    );
    return Number(rows[0]?.bytes);
  } catch (error) {
    if (process.env.SIYU_BENCH_DEBUG) process.stderr.write(`pg_walinspect: ${(error as Error).message}\n`);
    return undefined;
  }
}

export interface PostgresMeter {
  /** Takes a last CPU sample: call while the workers are still connected. */
  sample(): Promise<void>;
  /** Waits until every other backend on the database has gone (their statistics are then flushed), and sums up. */
  finish(): Promise<PostgresCost>;
}

/**
 * Starts measuring the database `database` (at `url`; `serverUrl` names another database on the
 * same server, where the sampling queries run so they add no transactions to the bench database's
 * counts). Call after the set-up's connections have closed (a backend reports its row counts when
 * it exits or goes idle) and before the workers connect.
 */
export async function startPostgresMeter(
  url: string,
  serverUrl: string,
  database: string,
  options: { keepWal?: boolean } = {},
): Promise<PostgresMeter> {
  const local = new pg.Client({ connectionString: url, types: RAW_POOL_TYPES });
  const client = new pg.Client({ connectionString: serverUrl, types: RAW_POOL_TYPES });
  // A connection ended from outside (another session's pg_terminate_backend, a restart) must fail
  // this meter's next query, not crash the process with an unhandled 'error' event.
  local.on('error', () => {});
  client.on('error', () => {});
  await local.connect();
  await client.connect();
  if (options.keepWal) {
    // A checkpoint during the run (other databases being dropped force them) would recycle the
    // segments it started in before pg_walinspect reads them. A temporary slot keeps them, and goes
    // with this connection however the run ends.
    await client
      .query('SELECT pg_create_physical_replication_slot($1, true, true)', [
        `siyu_bench_${randomBytes(4).toString('hex')}`,
      ])
      .catch(() => {}); // no free slot, or no right: the WAL figure may then fall back to server-wide
  }
  const own = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  const localPid = Number((await local.query('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  const ownStat = procStat(own);
  // Only a postgres process of ours: a server in another container or host has other pids here.
  const postmaster = ownStat?.command === 'postgres' ? ownStat.ppid : undefined;
  const server0 = postmaster === undefined ? undefined : serverTicks(postmaster);
  const tables0 = await tableWrites(local);
  const db0 = await databaseCounters(client, database);
  /** Per backend pid: its CPU ticks when first seen (0 if born during the run) and when last seen. */
  const backends = new Map<number, { first: number; last: number }>();
  let peakConnections = 0;
  const seen0 = new Set<number>();

  /** What the bench database's backends (but the meter's) are doing, by sample and wait event. */
  const waits: Record<string, number> = {};
  let activeSamples = 0;
  const activity = async () =>
    (
      await client.query(
        `SELECT pid, state, wait_event_type AS "type", wait_event AS "event" FROM pg_stat_activity
         WHERE datname = $1 AND pid <> $2`,
        [database, localPid],
      )
    ).rows as Array<{ pid: number; state: string | null; type: string | null; event: string | null }>;
  const others = async () => (await activity()).map((r) => Number(r.pid));
  for (const pid of await others()) seen0.add(pid);

  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      const rows = await activity();
      const pids = rows.map((r) => Number(r.pid));
      peakConnections = Math.max(peakConnections, pids.length);
      for (const r of rows) {
        if (r.state === 'idle' || r.state === null) continue;
        activeSamples++;
        // Active and not waiting: on a CPU (or waiting for one: the server cannot tell). Idle in a
        // transaction: the worker holds the batch's locks while it computes the steps.
        const key = r.state !== 'active' ? r.state : r.type ? `${r.type}:${r.event}` : 'running';
        waits[key] = (waits[key] ?? 0) + 1;
      }
      for (const pid of pids) {
        const stat = procStat(pid);
        if (!stat) continue;
        const known = backends.get(pid);
        if (known) known.last = stat.own;
        else backends.set(pid, { first: seen0.has(pid) ? stat.own : 0, last: stat.own });
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void sample().catch(() => {}), 200);

  return {
    sample,
    async finish() {
      clearInterval(timer);
      for (let waited = 0; (await others()).length > 0; waited += 50) {
        if (waited > 10_000) throw new Error('bench: the workers’ connections did not close within 10 s');
        await new Promise((r) => setTimeout(r, 50));
      }
      const tables1 = await tableWrites(local);
      const db1 = await databaseCounters(client, database);
      const wal = await client.query('SELECT pg_wal_lsn_diff($1, $2)::float8 AS bytes', [db1.lsn, db0.lsn]);
      const serverWalBytes = Number(wal.rows[0]?.bytes);
      const ownWalBytes = await walOfDatabase(local, db0.flushLsn, db1.flushLsn, serverWalBytes);
      const server1 = postmaster === undefined ? undefined : serverTicks(postmaster);
      await client.end();
      await local.end();
      const byTable: Record<string, TableWrites> = {};
      const total: TableWrites = { inserted: 0, updated: 0, hotUpdated: 0, deleted: 0 };
      for (const [table, after] of Object.entries(tables1)) {
        const before = tables0[table] ?? { inserted: 0, updated: 0, hotUpdated: 0, deleted: 0 };
        const d: TableWrites = {
          inserted: after.inserted - before.inserted,
          updated: after.updated - before.updated,
          hotUpdated: after.hotUpdated - before.hotUpdated,
          deleted: after.deleted - before.deleted,
        };
        if (d.inserted + d.updated + d.deleted === 0) continue;
        byTable[table] = d;
        for (const k of Object.keys(total) as Array<keyof TableWrites>) total[k] += d[k];
      }
      const cpu = [...backends.values()].reduce((a, b) => a + b.last - b.first, 0);
      return {
        backendCpuSeconds: postmaster === undefined ? null : cpu / TICKS_PER_SECOND,
        serverCpuSeconds:
          server0 === undefined || server1 === undefined ? null : (server1 - server0) / TICKS_PER_SECOND,
        rows: { ...total, byTable },
        commits: db1.commits - db0.commits,
        rollbacks: db1.rollbacks - db0.rollbacks,
        deadlocks: db1.deadlocks - db0.deadlocks,
        walBytes: ownWalBytes ?? serverWalBytes,
        walSource:
          ownWalBytes === undefined ? 'pg_current_wal_lsn: server-wide' : 'pg_walinspect: records of this database',
        serverWalBytes,
        peakConnections,
        activity: { samples: activeSamples, byWaitEvent: sortedByCount(waits) },
      };
    },
  };
}

export const CPU_SOURCE =
  '/proc/<pid>/stat utime+stime of the backends on the bench database (pids from pg_stat_activity, sampled every 200 ms); pg_stat_statements is not loaded on the server (needs shared_preload_libraries)';
