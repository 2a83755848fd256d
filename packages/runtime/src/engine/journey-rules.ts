import { durationToMs, evaluateFilter, type JourneyGraph } from '@siyu/shared';
import { assign, enqueueActions } from 'xstate';
import { filterContext, type RunContext, type RunEvent } from './run-context.ts';

// biome-ignore lint/suspicious/noExplicitAny: the enqueue helper's precise type depends on the machine setup.
type Enqueue = any;
type Args = { context: RunContext; event: RunEvent };

/**
 * The journey-wide rules (exit conditions, the goal) as pieces of XState config. They must apply
 * from every state, but XState gives an event to the deepest state that handles it: a wait for
 * "order.paid" would swallow the order that is also the goal, and a wait for any event would
 * swallow an exit condition. So the compiler puts these pieces both on the root and in front of
 * every waiting state's own transitions.
 */
export interface JourneyRules {
  /** Transitions to `#exited`, one per exit condition; they go first so they win over a wait. */
  exitTransitions: unknown[];
  /** Root-level transition that records the goal when no state consumed the event. */
  goalTransition?: unknown;
  /** Action for a consuming transition: records the goal if this event reaches it. */
  recordGoalIfReached?: unknown;
  /** Action for a goal node: records the goal once per run. */
  recordGoalOnce: unknown;
}

export function journeyRules(settings: JourneyGraph['settings']): JourneyRules {
  const exitTransitions = settings.exitConditions.map((condition) => ({
    guard: ({ event }: Args) =>
      event.type === 'ext' &&
      event.event.type === condition.event &&
      (!condition.filter || evaluateFilter(condition.filter, filterContext(event.customer, event.event))),
    target: '#exited',
    actions: [
      assign({ x: `exitCondition:${condition.event}` }),
      { type: 'exited', params: { reason: `exitCondition:${condition.event}` } },
    ],
  }));
  const recordGoal = (when: (args: Args) => boolean) =>
    enqueueActions(({ context, event, enqueue }: Args & { enqueue: Enqueue }) => {
      // A run reaches its goal once, however often the customer passes it.
      if (context.goal !== undefined || !when({ context, event })) return;
      enqueue.assign({ goal: event.now });
      enqueue({ type: 'goal', params: {} });
    });
  const recordGoalOnce = recordGoal(() => true);
  const goal = settings.goal;
  if (!goal) return { exitTransitions, recordGoalOnce };
  const windowMs = durationToMs(goal.window);
  const reached = ({ context, event }: Args) =>
    context.goal === undefined &&
    event.type === 'ext' &&
    event.event.type === goal.event &&
    event.now - context.at <= windowMs &&
    (!goal.filter || evaluateFilter(goal.filter, filterContext(event.customer, event.event)));
  return {
    exitTransitions,
    // Reaching the goal is recorded; the customer keeps going (exit conditions end runs).
    // The guard already checked the goal: the action only records it.
    goalTransition: { guard: reached, actions: recordGoalOnce },
    recordGoalIfReached: recordGoal(reached),
    recordGoalOnce,
  };
}
