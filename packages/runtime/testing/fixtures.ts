// Test and benchmark fixtures: publish a journey and create customers straight into SQLite
// (100,000 customers through Prisma would take longer than the benchmark itself).
import type { JourneyGraphInput } from '@siyu/shared';
import { parseJourneyGraph } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { isoDate } from '../src/db/iso-date.ts';
import type { SqlClient } from '../src/db/sql-client.ts';

/** Creates (or updates) a live journey with a new published version; returns the version id. */
export function publishJourney(
  sqlite: BetterSqlite3.Database,
  journeyId: string,
  graphInput: JourneyGraphInput,
  version = 1,
): string {
  const graph = parseJourneyGraph(graphInput);
  const versionId = `${journeyId}-v${version}`;
  const now = isoDate(Date.now());
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `INSERT INTO Journey (id, name, status, draft, createdAt, updatedAt) VALUES (?, ?, 'live', ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET draft = excluded.draft`,
      )
      .run(journeyId, journeyId, JSON.stringify(graph), now, now);
    sqlite
      .prepare('INSERT INTO JourneyVersion (id, journeyId, version, graph, publishedAt) VALUES (?, ?, ?, ?, ?)')
      .run(versionId, journeyId, version, JSON.stringify(graph), now);
    sqlite.prepare("UPDATE Journey SET liveVersionId = ?, status = 'live' WHERE id = ?").run(versionId, journeyId);
  })();
  return versionId;
}

/**
 * publishJourney on either backend, through the SQL port (`db.sql`): for tests that run on SQLite
 * and on PostgreSQL alike. Returns the version id.
 */
export async function publishJourneyOn(
  db: { sql: SqlClient },
  journeyId: string,
  graphInput: JourneyGraphInput,
  version = 1,
): Promise<string> {
  const graph = JSON.stringify(parseJourneyGraph(graphInput));
  const versionId = `${journeyId}-v${version}`;
  const now = isoDate(Date.now());
  await db.sql.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO Journey (id, name, status, draft, createdAt, updatedAt) VALUES (?, ?, 'live', ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET draft = excluded.draft`,
      [journeyId, journeyId, graph, now, now],
    );
    await tx.run('INSERT INTO JourneyVersion (id, journeyId, version, graph, publishedAt) VALUES (?, ?, ?, ?, ?)', [
      versionId,
      journeyId,
      version,
      graph,
      now,
    ]);
    await tx.run("UPDATE Journey SET liveVersionId = ?, status = 'live' WHERE id = ?", [versionId, journeyId]);
  });
  return versionId;
}

/** Inserts customers `${prefix}${i}` for i in [from, to), each with a phone identity. */
export function addCustomers(sqlite: BetterSqlite3.Database, prefix: string, from: number, to: number): string[] {
  const now = isoDate(Date.now());
  const customer = sqlite.prepare(
    'INSERT OR IGNORE INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, ?, ?, ?)',
  );
  const identity = sqlite.prepare(
    "INSERT OR IGNORE INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('phone', ?, ?, ?)",
  );
  const ids: string[] = [];
  sqlite.transaction(() => {
    for (let i = from; i < to; i++) {
      const id = `${prefix}${i}`;
      customer.run(id, '{}', now, now);
      identity.run(`+86138${String(i).padStart(8, '0')}`, id, now);
      ids.push(id);
    }
  })();
  return ids;
}

type Node = JourneyGraphInput['nodes'][number];
const at = (i: number) => ({ x: i * 200, y: 0 });

/** Builds nodes/edges from a compact list: [id, type, config] and [source, port, target]. */
export function graphOf(
  nodes: Array<[string, string, Record<string, unknown>]>,
  edges: Array<[string, string, string]>,
  settings: JourneyGraphInput['settings'] = {},
): JourneyGraphInput {
  return {
    nodes: nodes.map(([id, type, config], i): Node => ({ id, type, typeVersion: 1, config, position: at(i) })),
    edges: edges.map(([source, sourcePort, target]) => ({
      id: `${source}-${sourcePort}-${target}`,
      source,
      sourcePort,
      target,
    })),
    settings,
  };
}

/**
 * The benchmark journey, a typical welcome-and-repurchase campaign: entry → welcome → tag →
 * wait 1 day → branch on order → coupon → wait for order (7-day timeout) → repurchase tag →
 * thank-you message, or exit. The message after the order is what the bench's event→effect latency
 * times (the tag before it is applied in the order's own step). Quiet hours are off so the simulated clock does not hold messages (they are tested
 * separately).
 */
export function benchmarkJourney(): JourneyGraphInput {
  return graphOf(
    [
      ['entry', 'sample.apiEntry', {}],
      ['welcome', 'sample.send', { channel: 'wecom', text: '欢迎加入！' }],
      ['tagNew', 'sample.tag', { add: ['new'] }],
      ['wait1d', 'sample.wait', { duration: { amount: 1, unit: 'days' } }],
      [
        'ordered',
        'sample.branch',
        {
          cases: [
            { id: 'yes', filter: { match: 'all', conditions: [{ field: 'tags', op: 'hasTag', value: 'buyer' }] } },
          ],
        },
      ],
      ['coupon', 'sample.coupon', { stock: 'welcome' }],
      ['waitOrder', 'sample.waitForEvent', { event: 'order.placed', timeout: { amount: 7, unit: 'days' } }],
      ['repurchase', 'sample.tag', { add: ['repurchase'] }],
      ['thanks', 'sample.send', { channel: 'wecom', text: '感谢再次购买！' }],
      ['exit', 'sample.exit', { reason: 'noOrder' }],
    ],
    [
      ['entry', 'next', 'welcome'],
      ['welcome', 'sent', 'tagNew'],
      ['welcome', 'failed', 'tagNew'],
      ['tagNew', 'next', 'wait1d'],
      ['wait1d', 'next', 'ordered'],
      ['ordered', 'yes', 'exit'],
      ['ordered', 'else', 'coupon'],
      ['coupon', 'issued', 'waitOrder'],
      ['waitOrder', 'matched', 'repurchase'],
      ['repurchase', 'next', 'thanks'],
      ['waitOrder', 'timeout', 'exit'],
    ],
    { quietHours: { enabled: false }, reEntry: { policy: 'once' } },
  );
}
