import {
  conditionContext,
  durationToMs,
  evaluateFilter,
  type JourneyGraph,
  type LocalizedText,
  type NodeRegistry,
  t,
} from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';
import { epochMsOf, jsonArrayAgg, jsonObjectAgg } from '../db/sql-dialect.ts';
import { parseCustomer, type StoredCustomerView } from '../engine/customer-views.ts';
import type { CustomerRow } from '../engine/store/port.ts';

/**
 * What "converted" means in the funnel, A/B and holdout reports, stated in their responses. One
 * definition for every group, because held-out customers never run the journey: the engine cannot
 * record their goal, and a journey customer whose run ended before the order would be missed too.
 */
export const CONVERSION_RULE: LocalizedText = t(
  '转化 = 该次旅程运行达成目标：引擎记录了目标（目标节点或旅程目标事件），或客户在进入后、旅程设置的目标时间窗内（含边界）发生了目标事件且满足目标筛选条件（对照组客户和已结束运行的客户也按此计算）。按运行（实例）计数。',
  "Converted = the run reached the goal: the engine recorded it (a goal node or the journey's goal event), or the customer did the goal event, matching the goal's filter, within the goal window after entering (boundaries included); this also covers held-out customers and runs that had already ended. Counted per run (instance).",
);

export interface RunOutcomes {
  /** Runs that entered, per group (held-out runs are the control group). */
  entered: { journey: number; holdout: number };
  /** Runs that converted: instance id → whether the run was held out. */
  converted: Map<number, boolean>;
}

/**
 * The runs of the given versions of a journey: how many entered per group, and which converted.
 * Engine-recorded goals come from Instance.goalAt; the goal event is looked up per version's goal
 * setting with one join on Event(customerId, type, occurredAt). A goal filter is evaluated on the
 * same context the engine uses (the customer as they are now, plus the event). Counting is left to
 * SQL on the covering Instance(journeyId, versionId, goalAt, holdout, …) index: only converted runs
 * reach JavaScript (reading 100k runs as rows cost more than all the queries).
 */
export async function runOutcomes(
  sql: SqlClient,
  // Unused since goal filters read customers without a stepper; kept so the reports' calls stay as they are.
  _registry: NodeRegistry,
  journeyId: string,
  versions: { id: string; graph: JourneyGraph }[],
): Promise<RunOutcomes> {
  const entered = { journey: 0, holdout: 0 };
  const converted = new Map<number, boolean>();
  if (versions.length === 0) return { entered, converted };
  const inVersions = `versionId IN (${versions.map(() => '?').join(', ')})`;
  const versionIds = versions.map((v) => v.id);
  for (const { holdout, n } of await sql.all<{ holdout: number; n: number }>(
    `SELECT holdout, count(*) AS n FROM Instance WHERE journeyId = ? AND ${inVersions} GROUP BY holdout`,
    [journeyId, ...versionIds],
  )) {
    if (holdout) entered.holdout += n;
    else entered.journey += n;
  }
  for (const { id, holdout } of await sql.all<{ id: number; holdout: number }>(
    `SELECT id, holdout FROM Instance WHERE journeyId = ? AND ${inVersions} AND goalAt IS NOT NULL`,
    [journeyId, ...versionIds],
  ))
    converted.set(id, holdout === 1);
  const customers = new Map<string, StoredCustomerView | undefined>();
  for (const version of versions) {
    const goal = version.graph.settings.goal;
    if (!goal) continue;
    const entered = epochMsOf(sql.dialect, 'i.enteredAt');
    const candidates = await sql.all<{
      id: number;
      holdout: number;
      customerId: string;
      externalId: string;
      occurredAt: number;
      data: string;
    }>(
      `SELECT i.id, i.holdout, i.customerId, e.externalId, e.occurredAt, e.data
       FROM Instance i JOIN Event e ON e.customerId = i.customerId AND e.type = ?
         AND e.occurredAt >= ${entered} AND e.occurredAt <= ${entered} + ?
       WHERE i.journeyId = ? AND i.versionId = ? AND i.goalAt IS NULL
       ORDER BY i.id, e.occurredAt`,
      [goal.event, durationToMs(goal.window), journeyId, version.id],
    );
    for (const c of candidates) {
      if (converted.has(c.id)) continue;
      if (goal.filter) {
        // The engine's own customer view, so a filter reads tags, attributes and RFM the same way.
        if (!customers.has(c.customerId)) customers.set(c.customerId, await customerView(sql, c.customerId));
        const customer = customers.get(c.customerId);
        if (!customer) continue;
        const event = {
          id: c.externalId,
          type: goal.event,
          customerId: c.customerId,
          occurredAt: new Date(c.occurredAt),
          data: JSON.parse(c.data) as Record<string, unknown>,
        };
        if (!evaluateFilter(goal.filter, conditionContext(customer, event))) continue;
      }
      converted.set(c.id, c.holdout === 1);
    }
  }
  return { entered, converted };
}

/** A customer as the engine's steps see it (its store's customer row, parsed the same way). */
async function customerView(sql: SqlClient, customerId: string): Promise<StoredCustomerView | undefined> {
  const row = await sql.get<CustomerRow>(
    `SELECT c.id, c.displayName, c.attributes, c.ownerUserId, c.channelCode, c.variant, c.erasedAt, c.rfm,
       coalesce((SELECT ${jsonArrayAgg(sql.dialect, 'tag')} FROM CustomerTag WHERE customerId = c.id), '[]') AS tags,
       coalesce((SELECT ${jsonObjectAgg(sql.dialect, 'kind', 'value')} FROM CustomerIdentity WHERE customerId = c.id), '{}')
         AS identities
     FROM Customer c WHERE c.id = ?`,
    [customerId],
  );
  return row ? parseCustomer(row) : undefined;
}

/** Converted runs of one group: the journey group (heldOut false) or the control group. */
export function convertedIn(outcomes: RunOutcomes, heldOut: boolean): number {
  let n = 0;
  for (const holdout of outcomes.converted.values()) if (holdout === heldOut) n++;
  return n;
}
