import {
  conditionContext,
  durationToMs,
  evaluateFilter,
  type JourneyGraph,
  type LocalizedText,
  type NodeRegistry,
  t,
} from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { prepareStatements } from '../engine/statements.ts';
import { Stepper } from '../engine/stepper.ts';
import { msOf } from './common.ts';

/**
 * What "converted" means in the funnel, A/B and holdout reports, stated in their responses. One
 * definition for every group, because held-out customers never run the journey: the engine cannot
 * record their goal, and a journey customer whose run ended before the order would be missed too.
 */
export const CONVERSION_RULE: LocalizedText = t(
  '转化 = 该次旅程运行达成目标：引擎记录了目标（目标节点或旅程目标事件），或客户在进入后、旅程设置的目标时间窗内（含边界）发生了目标事件且满足目标筛选条件（对照组客户和已结束运行的客户也按此计算）。按运行（实例）计数。',
  "Converted = the run reached the goal: the engine recorded it (a goal node or the journey's goal event), or the customer did the goal event, matching the goal's filter, within the goal window after entering (boundaries included); this also covers held-out customers and runs that had already ended. Counted per run (instance).",
);

export interface InstanceOutcome {
  id: number;
  versionId: string;
  holdout: boolean;
  converted: boolean;
}

/**
 * Every run of a journey with whether it converted. Engine-recorded goals come from Instance.goalAt;
 * the goal event is looked up per version's goal setting with one join on Event(customerId, type).
 * A goal filter is evaluated on the same context the engine uses (the customer as they are now,
 * plus the event).
 */
export function instanceOutcomes(
  sqlite: BetterSqlite3.Database,
  registry: NodeRegistry,
  journeyId: string,
  versions: { id: string; graph: JourneyGraph }[],
): InstanceOutcome[] {
  const rows = sqlite
    .prepare(
      'SELECT id, versionId, holdout, goalAt IS NOT NULL AS reached FROM Instance WHERE journeyId = ? ORDER BY id',
    )
    .all(journeyId) as { id: number; versionId: string; holdout: number; reached: number }[];
  const converted = new Set(rows.filter((r) => r.reached).map((r) => r.id));
  let views: Stepper | undefined;
  for (const version of versions) {
    const goal = version.graph.settings.goal;
    if (!goal) continue;
    const candidates = sqlite
      .prepare(
        `SELECT i.id, i.customerId, e.externalId, e.occurredAt, e.data
         FROM Instance i JOIN Event e ON e.customerId = i.customerId AND e.type = ?
           AND e.occurredAt >= ${msOf('i.enteredAt')} AND e.occurredAt <= ${msOf('i.enteredAt')} + ?
         WHERE i.journeyId = ? AND i.versionId = ? AND i.goalAt IS NULL
         ORDER BY i.id, e.occurredAt`,
      )
      .all(goal.event, durationToMs(goal.window), journeyId, version.id) as {
      id: number;
      customerId: string;
      externalId: string;
      occurredAt: number;
      data: string;
    }[];
    for (const c of candidates) {
      if (converted.has(c.id)) continue;
      if (goal.filter) {
        // The engine's own customer view, so a filter reads tags, attributes and RFM the same way.
        views ??= new Stepper(prepareStatements(sqlite), registry);
        const customer = views.customerView(c.customerId);
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
      converted.add(c.id);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    versionId: r.versionId,
    holdout: r.holdout === 1,
    converted: converted.has(r.id),
  }));
}
