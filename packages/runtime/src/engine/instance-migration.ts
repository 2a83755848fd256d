import type { Logger } from '../logger.ts';
import type { RunContext } from './compiler.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import type { Stepper } from './stepper.ts';
import type { EngineStore, InstanceRow } from './store/port.ts';

/**
 * Moves a journey's in-flight customers to another version, node by node as `nodeMapping` says
 * (inside the caller's batch). Customers at a node with no mapping stay where they are.
 */
export function migrateInstances(
  deps: { store: EngineStore; stepper: Stepper; logger: Logger },
  journeyId: string,
  toVersionId: string,
  nodeMapping: Record<string, string>,
  now: number,
): MaybePromise<{ moved: number }> {
  const { store } = deps;
  // One load for the whole journey (asynchronous on a networked store), then every move at once.
  return andThen(store.activeInstancesOfJourney(journeyId, toVersionId), (rows) => {
    const moved = moveAll(deps, rows, toVersionId, nodeMapping, now);
    return { moved };
  });
}

function moveAll(
  deps: { stepper: Stepper; store: EngineStore; logger: Logger },
  rows: InstanceRow[],
  toVersionId: string,
  nodeMapping: Record<string, string>,
  now: number,
): number {
  const { store, stepper, logger } = deps;
  const target = stepper.compiled(toVersionId);
  let moved = 0;
  for (const row of rows) {
    const to = row.nodeId ? nodeMapping[row.nodeId] : undefined;
    if (!to || !target.nodes.has(to)) {
      logger.warn({ instanceId: row.id, nodeId: row.nodeId }, 'instance not migrated: node has no mapping');
      continue;
    }
    const customer = stepper.customerView(row.customerId);
    if (!customer) continue;
    const old = JSON.parse(row.snapshot) as { c: RunContext };
    const fromVersion = row.versionId;
    const from = row.nodeId;
    store.moveToVersion(row.id, toVersionId);
    row.versionId = toVersionId;
    row.snapshot = JSON.stringify({ s: 'idle', c: { v: {}, at: old.c.at, goal: old.c.goal } });
    // The step log keeps the old version's rows; the move is one `migrate` row at the new node.
    stepper.stepSafely(
      row,
      { type: 'goto', nodeId: to, customer, now },
      { kind: 'migrate', placedAt: to, detail: { fromVersion, toVersion: toVersionId, from, to } },
    );
    moved++;
  }
  return moved;
}
