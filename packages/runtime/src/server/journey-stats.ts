import type { Database } from '../db/database.ts';

export interface NodeStats {
  nodeId: string;
  /** Times customers arrived at the node (from the step log). */
  entered: number;
  /** Customers at the node now. */
  waiting: number;
  /** Arrivals that moved on or ended normally here. */
  completed: number;
  /** Customers whose instance failed at this node. */
  failed: number;
  goals: number;
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
  holdout: number;
  goalConversions: number;
  conversionRate: number;
  nodes: NodeStats[];
  edges: EdgeStats[];
  computedAt: number;
}

const CACHE_MS = 2000;
const cache = new Map<string, { at: number; value: JourneyStats }>();

/**
 * Aggregates over Instance (index journeyId,status,nodeId) and StepLog (index journeyId,kind,nodeId):
 * GROUP BY scans of covering indexes, no per-customer work. Results are cached for 2 s per journey
 * so many open canvases polling every few seconds cost one query set.
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
  const s = db.sqlite;
  const v = versionId ? ' AND versionId = ?' : '';
  const args = versionId ? [journeyId, versionId] : [journeyId];
  const statusRows = s
    .prepare(`SELECT status, nodeId, count(*) AS n FROM Instance WHERE journeyId = ?${v} GROUP BY status, nodeId`)
    .all(...args) as { status: string; nodeId: string | null; n: number }[];
  const totals = s
    .prepare(
      `SELECT count(*) AS entries, sum(holdout) AS holdout, count(goalAt) AS goals FROM Instance WHERE journeyId = ?${v}`,
    )
    .get(...args) as { entries: number; holdout: number | null; goals: number };
  const arrivals = s
    .prepare(
      `SELECT nodeId, kind, count(*) AS n FROM StepLog WHERE journeyId = ?${v} AND kind IN ('enter','move','goal') AND nodeId IS NOT NULL GROUP BY kind, nodeId`,
    )
    .all(...args) as { nodeId: string; kind: string; n: number }[];
  const edges = s
    .prepare(
      `SELECT fromNodeId AS source, coalesce(port, '') AS port, nodeId AS target, count(*) AS count FROM StepLog
       WHERE journeyId = ?${v} AND kind = 'move' AND fromNodeId IS NOT NULL GROUP BY fromNodeId, port, nodeId`,
    )
    .all(...args) as EdgeStats[];

  fillPorts(db, journeyId, versionId, edges);
  const nodes = new Map<string, NodeStats>();
  const node = (id: string) => {
    let n = nodes.get(id);
    if (!n) {
      n = { nodeId: id, entered: 0, waiting: 0, completed: 0, failed: 0, goals: 0 };
      nodes.set(id, n);
    }
    return n;
  };
  for (const a of arrivals) {
    if (a.kind === 'goal') node(a.nodeId).goals += a.n;
    else node(a.nodeId).entered += a.n;
  }
  const byStatus = { active: 0, completed: 0, exited: 0, failed: 0 } as Record<string, number>;
  for (const r of statusRows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    if (!r.nodeId) continue;
    if (r.status === 'active') node(r.nodeId).waiting += r.n;
    if (r.status === 'failed') node(r.nodeId).failed += r.n;
  }
  for (const n of nodes.values()) n.completed = Math.max(0, n.entered - n.waiting - n.failed);
  const value: JourneyStats = {
    journeyId,
    versionId: versionId ?? null,
    entries: totals.entries,
    active: byStatus.active ?? 0,
    completed: byStatus.completed ?? 0,
    exited: byStatus.exited ?? 0,
    failed: byStatus.failed ?? 0,
    holdout: totals.holdout ?? 0,
    goalConversions: totals.goals,
    conversionRate: totals.entries ? totals.goals / totals.entries : 0,
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
