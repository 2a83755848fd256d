// What a running instance remembers and the events it steps on, plus the record conditions read:
// shared by the compiler and the journey rules (settings such as goals and exits) without either
// importing the other.
import { type CustomerView, conditionContext, type Filter, type JourneyEvent } from '@siyu/shared';

/** What an instance remembers between steps. Kept tiny: it is stored for every customer. */
export interface RunContext {
  /** Visits per node id (a node visited twice gets a new idempotency key). */
  v: Record<string, number>;
  /** Port chosen at the current node. */
  p?: string;
  /** Result of the current node's effect. */
  er?: { port: string; data?: Record<string, unknown> };
  /** What the current node waits for: timer key, events (type, port, filter), timeout port. */
  aw?: { k: string; e: Array<{ t: string; p: string; f?: Filter }>; tp?: string };
  /** Epoch ms the run started (for the goal window). */
  at: number;
  /** Set when the journey's goal was reached. */
  goal?: number;
  /** Exit reason once exited. */
  x?: string;
}

interface Base {
  customer: CustomerView;
  now: number;
}
export type RunEvent =
  | (Base & { type: 'enroll'; entryNodeId: string; event?: JourneyEvent })
  | (Base & { type: 'ext'; event: JourneyEvent })
  | (Base & { type: 'timer.fired'; key: string })
  | (Base & { type: 'effect.result'; key: string; port: string; data?: Record<string, unknown> })
  | (Base & { type: 'exit'; reason: string })
  | (Base & { type: 'goto'; nodeId: string });

/** The record conditions read (shared with node packages so both evaluate the same shape). */
export const filterContext = conditionContext;
