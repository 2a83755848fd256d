import type { SqlClient } from '../db/sql-client.ts';
import { forUpdate } from '../db/sql-dialect.ts';
import { countUnknownOutcomesByNode } from '../runs/unknown-outcomes.ts';

export interface NodeStats {
  nodeId: string;
  /** Runs that reached the node (distinct: a run looping back counts once). */
  entered: number;
  /** Customers at the node now. */
  waiting: number;
  /** Runs that moved on or ended normally here (reached, not waiting, not failed). */
  completed: number;
  /** Runs whose step failed at this node (failure port or exit, or a failed step), less those retried since. */
  failed: number;
  goals: number;
  /** Customers waiting here because a send's outcome is unknown (an operator decides: outcomes.list). */
  outcomeUnknown: number;
}

export interface EdgeStats {
  source: string;
  port: string;
  target: string;
  count: number;
}

export interface JourneyStats {
  journeyId: string;
  versionId: string | null;
  entries: number;
  active: number;
  completed: number;
  exited: number;
  failed: number;
  goalConversions: number;
  conversionRate: number;
  nodes: NodeStats[];
  /** Runs that took each edge (distinct per edge). */
  edges: EdgeStats[];
  computedAt: number;
}

const CACHE_MS = 2000;
/** Per database (its SQL client), per journey and version. */
const caches = new WeakMap<SqlClient, Map<string, { at: number; value: JourneyStats }>>();

/**
 * Earlier rows of the same run that make a new row not the run's first of its kind: counts are of
 * distinct runs, so a customer looping back, or placed again at a node (migration, retry), counts
 * once per node and once per edge. Reads the (instanceId, id) index: a run's few earlier rows.
 */
const EARLIER = 'SELECT 1 FROM StepLog p WHERE p.instanceId = l.instanceId AND p.id < l.id';
const ARRIVALS = "('move', 'migrate', 'retry')";

/** An earlier error of the run at the node with no operator's retry there since (see `fail`). */
const FAILED_SINCE_RETRY = `${EARLIER} AND p.kind = 'error' AND p.nodeId = l.nodeId AND NOT EXISTS (
  SELECT 1 FROM StepLog r WHERE r.instanceId = l.instanceId AND r.id > p.id AND r.id < l.id
    AND r.kind = 'retry' AND r.nodeId = l.nodeId)`;

/**
 * What StepCount holds per (journey, version): `enter` runs that entered; `visit` runs that reached
 * a node (by an edge, a migration or a retry); `move` runs that took an edge (source, port,
 * target); `goal` runs that reached a goal node, per node; `goalRun` runs that reached any goal;
 * `fail` runs whose step at a node failed and was not retried since (a failed send, a failed step):
 * an operator's retry takes the run out again (−1), and a retry that fails again puts it back.
 */
const ROLL_UP = `INSERT INTO StepCount (journeyId, versionId, kind, nodeId, fromNodeId, port, count)
  SELECT journeyId, versionId, k, n, f, pt, sum(w) FROM (
    SELECT journeyId, versionId, 'enter' AS k, '' AS n, '' AS f, '' AS pt, 1 AS w FROM StepLog l
      WHERE id > ? AND id <= ? AND kind = 'enter'
    UNION ALL SELECT journeyId, versionId, 'visit', nodeId, '', '', 1 FROM StepLog l
      WHERE id > ? AND id <= ? AND kind IN ${ARRIVALS} AND nodeId IS NOT NULL
      AND NOT EXISTS (${EARLIER} AND p.kind IN ${ARRIVALS} AND p.nodeId = l.nodeId)
    UNION ALL SELECT journeyId, versionId, 'move', nodeId, fromNodeId, coalesce(port, ''), 1 FROM StepLog l
      WHERE id > ? AND id <= ? AND kind = 'move' AND nodeId IS NOT NULL AND fromNodeId IS NOT NULL
      AND NOT EXISTS (${EARLIER} AND p.kind = 'move' AND p.nodeId = l.nodeId AND p.fromNodeId = l.fromNodeId
        AND coalesce(p.port, '') = coalesce(l.port, ''))
    UNION ALL SELECT journeyId, versionId, 'goal', coalesce(nodeId, ''), '', '', 1 FROM StepLog l
      WHERE id > ? AND id <= ? AND kind = 'goal'
      AND NOT EXISTS (${EARLIER} AND p.kind = 'goal' AND coalesce(p.nodeId, '') = coalesce(l.nodeId, ''))
    UNION ALL SELECT journeyId, versionId, 'goalRun', '', '', '', 1 FROM StepLog l
      WHERE id > ? AND id <= ? AND kind = 'goal' AND NOT EXISTS (${EARLIER} AND p.kind = 'goal')
    UNION ALL SELECT journeyId, versionId, 'fail', nodeId, '', '', 1 FROM StepLog l
      WHERE id > ? AND id <= ? AND kind = 'error' AND nodeId IS NOT NULL
      AND NOT EXISTS (${FAILED_SINCE_RETRY})
    UNION ALL SELECT journeyId, versionId, 'fail', nodeId, '', '', -1 FROM StepLog l
      WHERE id > ? AND id <= ? AND kind = 'retry' AND nodeId IS NOT NULL
  ) steps GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (journeyId, versionId, kind, nodeId, fromNodeId, port) DO UPDATE SET count = StepCount.count + excluded.count`;
/** ROLL_UP's parameters: each of its seven parts reads the rows in (from, to]. */
const ROLL_UP_PARTS = 7;

/**
 * Folds StepLog rows written since the last call into StepCount, in one write transaction so two
 * pollers never count a row twice (SQLite: BEGIN IMMEDIATE; PostgreSQL: the watermark row is
 * locked). Cost is proportional to new rows (an id range scan, and for each row a look at its
 * run's earlier rows).
 */
export function rollUpStepCounts(sql: SqlClient): Promise<number> {
  return sql.transaction(async (tx) => {
    await tx.run("INSERT INTO StatsWatermark (name, lastId) VALUES ('steps', 0) ON CONFLICT (name) DO NOTHING");
    const mark = await tx.get<{ lastId: number }>(
      `SELECT lastId FROM StatsWatermark WHERE name = 'steps'${forUpdate(tx.dialect)}`,
    );
    const from = mark?.lastId ?? 0;
    // SQLite has one writer at a time: ids become visible in order, so the highest id is settled.
    const to =
      tx.dialect === 'postgresql'
        ? await settledStepLogId(sql, tx, from)
        : ((await tx.get<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM StepLog'))?.id ?? 0);
    if (to <= from) return 0;
    const range = Array.from({ length: ROLL_UP_PARTS }, () => [from, to]).flat();
    const result = await tx.run(ROLL_UP, range);
    await tx.run("UPDATE StatsWatermark SET lastId = ? WHERE name = 'steps'", [to]);
    return result.changes;
  });
}

/** A StepLog id and the server's clock (epoch µs) when it was read: every id up to it was handed out by then. */
interface IdAt {
  id: number;
  atMicros: number;
}
/**
 * Per database (its SQL client): the highest id an earlier roll-up read and could not settle yet. Kept
 * in memory: a restarted process, or another one, reads its own (one roll-up later).
 */
const pendingIds = new WeakMap<SqlClient, IdAt>();

/**
 * PostgreSQL: the highest StepLog id below which every row is settled — committed (visible now) or
 * never to appear (rolled back) — so the roll-up may move its watermark there without skipping a row.
 *
 * Ids come from the sequence when a row is inserted, not when its transaction commits: a batch
 * holding id 100 may commit after id 101 was committed and rolled up, and a watermark at the highest
 * visible id would skip 100 for good. Of the ways out, this one costs the engine nothing per step
 * and needs no schema change: no xid column on StepLog (an index written 2–3 times per step, the
 * write volume docs/capacity.md says to cut) and no re-scanned window (which would need to remember
 * what it counted). It relies on two facts:
 *   - an id handed out before time T belongs to a transaction that started before T (the sequence
 *     hands ids out in order; StepLog's has no CACHE, so this holds across connections);
 *   - a transaction still running shows in pg_stat_activity with its `xact_start`, and PostgreSQL
 *     clears that only after its commit is visible to new snapshots (CommitTransaction ends the
 *     transaction in the proc array first).
 * So when no other transaction on this database started at or before T is still running, every id
 * handed out by T is settled. The roll-up reads the highest visible id and the time (in one
 * statement, so the ids were handed out before that time), then the running transactions. Idle
 * databases settle at once; under steady load (a batch always open) the id read by the previous
 * roll-up settles as soon as the batches open then have ended: counts lag by one roll-up, never lose
 * a row. A transaction left open (idle in transaction) holds the counts back until it ends.
 * Sessions of other roles are not visible in pg_stat_activity; only the application's role writes
 * StepLog. Needs `track_activities` (on by default): without it nothing would look running.
 */
async function settledStepLogId(sql: SqlClient, tx: SqlClient, from: number): Promise<number> {
  const now = await tx.get<{ id: number; atMicros: number }>(
    `SELECT coalesce(max(id), 0) AS id, CAST(extract(epoch FROM clock_timestamp()) * 1000000 AS BIGINT) AS atMicros
     FROM StepLog`,
  );
  // pg_stat_activity is read once per transaction (PostgreSQL keeps the first read until it ends):
  // this is this transaction's first and only read, after the ids above.
  const running = await tx.get<{ tracked: string; oldestMicros: number | null }>(
    `SELECT current_setting('track_activities') AS tracked,
       (SELECT CAST(extract(epoch FROM min(xact_start)) * 1000000 AS BIGINT) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL) AS oldestMicros`,
  );
  if (running?.tracked !== 'on') {
    throw new Error('rollUpStepCounts on PostgreSQL needs track_activities on (it tells which batches are open)');
  }
  const current: IdAt = { id: now?.id ?? 0, atMicros: now?.atMicros ?? 0 };
  const oldest = running.oldestMicros;
  const settled = (mark: IdAt) => oldest === null || oldest > mark.atMicros;
  if (settled(current)) {
    pendingIds.delete(sql);
    return current.id;
  }
  const pending = pendingIds.get(sql);
  // Keep the older pending id until it settles (an older time settles sooner); then wait on this one.
  if (pending && !settled(pending)) return from;
  pendingIds.set(sql, current);
  return Math.max(from, pending?.id ?? from);
}

/**
 * Per-node and per-edge numbers for one journey (optionally one version). Step counts come from
 * the StepCount roll-up; who is where now comes from Instance's (journeyId, status, nodeId) index,
 * a covering-index GROUP BY. Results are cached for 2 s per journey so many open canvases polling
 * every few seconds cost one query set.
 */
export async function journeyStats(
  sql: SqlClient,
  journeyId: string,
  versionId: string | undefined,
  now: number,
): Promise<JourneyStats> {
  let cache = caches.get(sql);
  if (!cache) {
    cache = new Map();
    caches.set(sql, cache);
  }
  const key = `${journeyId}\u0000${versionId ?? ''}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  await rollUpStepCounts(sql);
  const v = versionId ? ' AND versionId = ?' : '';
  const args = versionId ? [journeyId, versionId] : [journeyId];
  const statusRows = await sql.all<{ status: string; nodeId: string | null; n: number }>(
    `SELECT status, nodeId, count(*) AS n FROM Instance WHERE journeyId = ?${v} GROUP BY status, nodeId`,
    args,
  );
  const steps = await sql.all<{ kind: string; nodeId: string; fromNodeId: string; port: string; n: number }>(
    `SELECT kind, nodeId, fromNodeId, port, sum(count) AS n FROM StepCount WHERE journeyId = ?${v}
     AND kind IN ('enter', 'visit', 'move', 'goal', 'goalRun', 'fail') GROUP BY kind, nodeId, fromNodeId, port`,
    args,
  );

  const nodes = new Map<string, NodeStats>();
  const node = (id: string) => {
    let n = nodes.get(id);
    if (!n) {
      n = { nodeId: id, entered: 0, waiting: 0, completed: 0, failed: 0, goals: 0, outcomeUnknown: 0 };
      nodes.set(id, n);
    }
    return n;
  };
  const edges: EdgeStats[] = [];
  let entries = 0;
  let goalConversions = 0;
  for (const row of steps) {
    if (row.kind === 'enter') entries += row.n;
    else if (row.kind === 'goalRun') goalConversions += row.n;
    else if (!row.nodeId) continue;
    else if (row.kind === 'goal') node(row.nodeId).goals += row.n;
    else if (row.kind === 'visit') node(row.nodeId).entered += row.n;
    else if (row.kind === 'fail') node(row.nodeId).failed += row.n;
    else if (row.fromNodeId) edges.push({ source: row.fromNodeId, port: row.port, target: row.nodeId, count: row.n });
  }
  await fillPorts(sql, journeyId, versionId, edges);
  const byStatus: Record<string, number> = { active: 0, completed: 0, exited: 0, failed: 0 };
  for (const r of statusRows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    if (!r.nodeId) continue;
    if (r.status === 'active') node(r.nodeId).waiting += r.n;
  }
  for (const [nodeId, n] of await countUnknownOutcomesByNode(sql, journeyId, versionId))
    node(nodeId).outcomeUnknown = n;
  for (const n of nodes.values()) n.completed = Math.max(0, n.entered - n.waiting - n.failed);
  const value: JourneyStats = {
    journeyId,
    versionId: versionId ?? null,
    entries,
    active: byStatus.active ?? 0,
    completed: byStatus.completed ?? 0,
    exited: byStatus.exited ?? 0,
    failed: byStatus.failed ?? 0,
    goalConversions,
    conversionRate: entries ? goalConversions / entries : 0,
    nodes: [...nodes.values()],
    edges,
    computedAt: now,
  };
  cache.set(key, { at: Date.now(), value });
  return value;
}

/**
 * The step log's `move` rows name source and target but not always the port; when exactly one
 * edge of the graph joins the two nodes, that edge's port is the answer.
 */
async function fillPorts(
  sql: SqlClient,
  journeyId: string,
  versionId: string | undefined,
  edges: EdgeStats[],
): Promise<void> {
  if (!edges.some((e) => e.port === '')) return;
  const row = await sql.get<{ graph: string }>(
    versionId
      ? 'SELECT graph FROM JourneyVersion WHERE id = ? AND journeyId = ?'
      : 'SELECT v.graph FROM Journey j JOIN JourneyVersion v ON v.id = j.liveVersionId WHERE j.id = ?',
    versionId ? [versionId, journeyId] : [journeyId],
  );
  if (!row) return;
  const graph = JSON.parse(row.graph) as { edges: { source: string; sourcePort: string; target: string }[] };
  for (const e of edges) {
    if (e.port !== '') continue;
    const candidates = graph.edges.filter((g) => g.source === e.source && g.target === e.target);
    if (candidates.length === 1) e.port = (candidates[0] as { sourcePort: string }).sourcePort;
  }
}
