// Customer updates fused into the step. When a step leaves a customer acting on a node whose effect
// only changes the customer's own record (`customerUpdate` in the node SDK: tags, attributes), the
// stepper computes the change and the node's result at once and steps on, instead of writing an
// outbox row that the dispatcher claims, runs and finishes in two more transactions, followed by a
// second step of the instance. The change is written with the step (exactly once: it commits or
// rolls back with it), later nodes of the same step see it, and the step log gets the rows the
// dispatcher's path writes. The transitions are the same ones, so the step count does not change.
import type { CompiledJourney, RunEvent } from './compiler.ts';
import { updatedView } from './customer-views.ts';
import { type FusedUpdate, planStep, type StepPlan } from './step-plan.ts';
import type { InstanceRow } from './store/port.ts';
import type { TransitionFn } from './transitions.ts';

/**
 * Customer updates one step makes at most. A longer chain (a loop of tag nodes with no wait in it)
 * goes on through the outbox, one node a dispatcher round, instead of holding the engine's thread.
 */
export const MAX_FUSED_UPDATES = 20;

/**
 * Extends a planned step through the customer-update nodes it stops at. Pure like the planner:
 * the updates are carried in the plan (`customerUpdates`) and written with it. `transitioned` is
 * told of every extra transition taken (the stepper counts them).
 */
export function fuseCustomerUpdates(
  compiled: CompiledJourney,
  row: InstanceRow,
  event: RunEvent,
  plan: StepPlan,
  transition: TransitionFn,
  transitioned: () => void,
): StepPlan {
  let customer = event.customer;
  for (let fused = 0; fused < MAX_FUSED_UPDATES; fused++) {
    const acting = plan.status === 'active' ? plan.effects.at(-1) : undefined;
    if (!acting || acting[0] !== plan.nodeId) return plan;
    const node = compiled.nodes.get(acting[0]);
    const compute = node?.definition.customerUpdate;
    const spec = node?.definition.effect;
    // Delivery rules (quiet hours, caps) belong to the dispatcher; a node under them is not fused.
    if (!node || !compute || spec?.channel !== undefined || spec?.quietHours) return plan;

    const [nodeId, , key] = acting;
    const result = computed(nodeId, node.node.type, () => compute(node.config, customer));
    if (!node.ports.includes(result.port)) {
      throw new Error(`node ${nodeId} (${node.node.type}): customer update chose unknown port "${result.port}"`);
    }
    customer = updatedView(customer, result.update);
    const detail: FusedUpdate['detail'] = { key, status: 'done', data: result.data, result: result.port };
    const resultEvent: RunEvent = {
      type: 'effect.result',
      key,
      port: result.port,
      data: result.data,
      customer,
      now: event.now,
    };
    const [after, actions] = transition(compiled, plan.after, resultEvent);
    transitioned();
    const next = planStep(
      compiled,
      { ...row, snapshot: plan.stored, nodeId: plan.nodeId },
      resultEvent,
      // As the dispatcher records it: a node that waits after its effect has not chosen its port.
      { kind: 'effect', port: node.definition.await ? undefined : result.port, detail },
      plan.after,
      after,
      actions,
    );
    // One dropped wait timer per step is all a plan carries (a step acting on a node has none to
    // drop; this keeps it so if that ever changes).
    if (!next || (plan.dropTimer !== undefined && next.dropTimer !== undefined)) return plan;
    plan = merge(plan, next, { update: result.update, key, detail });
  }
  return plan;
}

/**
 * A node's `customerUpdate`, its failure named: a throw fails this customer's run (the stepper marks
 * the instance failed with the message), as a throw in `decide` does.
 */
function computed<T>(nodeId: string, type: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`node ${nodeId} (${type}): customer update failed: ${message}`, { cause: error });
  }
}

/** One step of two: `first` up to the node it acted on, then `then` from its result on. */
function merge(first: StepPlan, then: StepPlan, update: FusedUpdate): StepPlan {
  first.effects.pop(); // the fused node's own outbox row: not written
  return {
    ...then,
    logs: [...first.logs, ...then.logs],
    effects: [...first.effects, ...then.effects],
    timers: [...first.timers, ...then.timers],
    dropTimer: first.dropTimer ?? then.dropTimer,
    goal: first.goal || then.goal,
    nodesEntered: first.nodesEntered + then.nodesEntered,
    customerUpdates: [...(first.customerUpdates ?? []), update],
  };
}
