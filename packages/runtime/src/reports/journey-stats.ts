import type { Database } from '../db/database.ts';
import { countUnknownOutcomesByNodeOnSqlite } from '../runs/unknown-outcomes.ts';

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
const cache = new Map<string, { at: number; value: JourneyStats }>();

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
      WHERE id > $from AND id <= $to AND kind = 'enter'
    UNION ALL SELECT journeyId, versionId, 'visit', nodeId, '', '', 1 FROM StepLog l
      WHERE id > $from AND id <= $to AND kind IN ${ARRIVALS} AND nodeId IS NOT NULL
      AND NOT EXISTS (${EARLIER} AND p.kind IN ${ARRIVALS} AND p.nodeId = l.nodeId)
    UNION ALL SELECT journeyId, versionId, 'move', nodeId, fromNodeId, coalesce(port, ''), 1 FROM StepLog l
      WHERE id > $from AND id <= $to AND kind = 'move' AND nodeId IS NOT NULL AND fromNodeId IS NOT NULL
      AND NOT EXISTS (${EARLIER} AND p.kind = 'move' AND p.nodeId = l.nodeId AND p.fromNodeId = l.fromNodeId
        AND coalesce(p.port, '') = coalesce(l.port, ''))
    UNION ALL SELECT journeyId, versionId, 'goal', coalesce(nodeId, ''), '', '', 1 FROM StepLog l
      WHERE id > $from AND id <= $to AND kind = 'goal'
      AND NOT EXISTS (${EARLIER} AND p.kind = 'goal' AND coalesce(p.nodeId, '') = coalesce(l.nodeId, ''))
    UNION ALL SELECT journeyId, versionId, 'goalRun', '', '', '', 1 FROM StepLog l
      WHERE id > $from AND id <= $to AND kind = 'goal' AND NOT EXISTS (${EARLIER} AND p.kind = 'goal')
    UNION ALL SELECT journeyId, versionId, 'fail', nodeId, '', '', 1 FROM StepLog l
      WHERE id > $from AND id <= $to AND kind = 'error' AND nodeId IS NOT NULL
      AND NOT EXISTS (${FAILED_SINCE_RETRY})
    UNION ALL SELECT journeyId, versionId, 'fail', nodeId, '', '', -1 FROM StepLog l
      WHERE id > $from AND id <= $to AND kind = 'retry' AND nodeId IS NOT NULL
  ) GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (journeyId, versionId, kind, nodeId, fromNodeId, port) DO UPDATE SET count = count + excluded.count`;

/**
 * Folds StepLog rows written since the last call into StepCount, in one IMMEDIATE transaction so
 * two pollers never count a row twice. Cost is proportional to new rows (a rowid range scan, and
 * for each row a look at its run's earlier rows).
 */
export function rollUpStepCounts(db: Database): number {
  const s = db.sqlite;
  return s
    .transaction(() => {
      const mark = s.prepare("SELECT lastId FROM StatsWatermark WHERE name = 'steps'").get() as
        | { lastId: number }
        | undefined;
      const from = mark?.lastId ?? 0;
      const to = (s.prepare('SELECT coalesce(max(id), 0) AS id FROM StepLog').get() as { id: number }).id;
      if (to <= from) return 0;
      const result = s.prepare(ROLL_UP).run({ from, to });
      s.prepare(
        "INSERT INTO StatsWatermark (name, lastId) VALUES ('steps', ?) ON CONFLICT (name) DO UPDATE SET lastId = excluded.lastId",
      ).run(to);
      return result.changes;
    })
    .immediate();
}

/**
 * Per-node and per-edge numbers for one journey (optionally one version). Step counts come from
 * the StepCount roll-up; who is where now comes from Instance's (journeyId, status, nodeId) index,
 * a covering-index GROUP BY. Results are cached for 2 s per journey so many open canvases polling
 * every few seconds cost one query set.
 */
export function journeyStats(
  db: Database,
  journeyId: string,
  versionId: string | undefined,
  now: number,
): JourneyStats {
  const key = `${db.path}\u0000${journeyId}\u0000${versionId ?? ''}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
  rollUpStepCounts(db);
  const s = db.sqlite;
  const v = versionId ? ' AND versionId = ?' : '';
  const args = versionId ? [journeyId, versionId] : [journeyId];
  const statusRows = s
    .prepare(`SELECT status, nodeId, count(*) AS n FROM Instance WHERE journeyId = ?${v} GROUP BY status, nodeId`)
    .all(...args) as { status: string; nodeId: string | null; n: number }[];
  const steps = s
    .prepare(
      `SELECT kind, nodeId, fromNodeId, port, sum(count) AS n FROM StepCount WHERE journeyId = ?${v}
       AND kind IN ('enter', 'visit', 'move', 'goal', 'goalRun', 'fail') GROUP BY kind, nodeId, fromNodeId, port`,
    )
    .all(...args) as { kind: string; nodeId: string; fromNodeId: string; port: string; n: number }[];

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
  fillPorts(db, journeyId, versionId, edges);
  const byStatus: Record<string, number> = { active: 0, completed: 0, exited: 0, failed: 0 };
  for (const r of statusRows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    if (!r.nodeId) continue;
    if (r.status === 'active') node(r.nodeId).waiting += r.n;
  }
  for (const [nodeId, n] of countUnknownOutcomesByNodeOnSqlite(db, journeyId, versionId))
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
function fillPorts(db: Database, journeyId: string, versionId: string | undefined, edges: EdgeStats[]): void {
  if (!edges.some((e) => e.port === '')) return;
  const row = db.sqlite
    .prepare(
      versionId
        ? 'SELECT graph FROM JourneyVersion WHERE id = ? AND journeyId = ?'
        : 'SELECT v.graph FROM Journey j JOIN JourneyVersion v ON v.id = j.liveVersionId WHERE j.id = ?',
    )
    .get(...(versionId ? [versionId, journeyId] : [journeyId])) as { graph: string } | undefined;
  if (!row) return;
  const graph = JSON.parse(row.graph) as { edges: { source: string; sourcePort: string; target: string }[] };
  for (const e of edges) {
    if (e.port !== '') continue;
    const candidates = graph.edges.filter((g) => g.source === e.source && g.target === e.target);
    if (candidates.length === 1) e.port = (candidates[0] as { sourcePort: string }).sourcePort;
  }
}
