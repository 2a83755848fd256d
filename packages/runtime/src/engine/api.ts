import type { JourneyEventInput } from '@siyu/shared';
import type { RetryOutcome } from './retry-step.ts';

/**
 * The runtime's public surface, as the server, CLI, examples and tests use it. The engine
 * (engine/*.ts) implements it and everything else codes against this interface, so the engine's
 * internals can change without touching its callers.
 */

/** Injectable time: tests and simulations run weeks in milliseconds. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 5, 2, 0, 0)) {}
  now(): number {
    return this.current;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

export interface EnrollOptions {
  /** The entry node to start from; defaults to the journey's single API/audience entry. */
  entryNodeId?: string;
  /** The event that caused the enrolment, visible to the first nodes. */
  event?: JourneyEventInput;
}

export type EnrollOutcome =
  | { status: 'enrolled'; instanceId: number; holdout: boolean }
  | {
      status: 'skipped';
      /** `unknownCustomer` only from batch enrolment; a single enrol of an unknown id throws. */
      reason: 'reEntryOnce' | 'alreadyActive' | 'minGap' | 'journeyNotLive' | 'erased' | 'unknownCustomer';
    };

export interface IngestOutcome {
  /** `conflict`: the id was already used for a different event (type, customer, time or data). */
  status: 'accepted' | 'duplicate' | 'rejected' | 'conflict';
  /** Why an event was rejected (unknown customer with no identity to create one, bad payload) or conflicts. */
  reason?: string;
  customerId?: string;
  /** Instances that received the event (waits resumed, exits, goals). */
  delivered: number;
  /** New instances started by event-triggered entries. */
  enrolled: number;
}

export interface TickOutcome {
  timersFired: number;
  effectsRun: number;
  effectsFailed: number;
  /** Customers enrolled by audience entries that came due. */
  audienceEnrolled: number;
}

export interface TimelineEntry {
  at: number;
  kind: string;
  nodeId?: string | null;
  fromNodeId?: string | null;
  port?: string | null;
  detail?: unknown;
}

export interface JourneyEngine {
  /** Start a customer on a journey's live version, honouring re-entry and holdout. */
  enroll(journeyId: string, customerId: string, options?: EnrollOptions): Promise<EnrollOutcome>;
  /** Store an event (idempotent by id), route it to waiting instances and event-triggered entries. */
  ingestEvent(event: JourneyEventInput, source?: string): Promise<IngestOutcome>;
  /** Fire timers due by the clock's now and run pending outbox effects, until nothing is due. */
  tick(): Promise<TickOutcome>;
  /** Move in-flight customers of a journey to another version, mapping node ids old → new. */
  migrateInstances(
    journeyId: string,
    toVersionId: string,
    nodeMapping: Record<string, string>,
  ): Promise<{ moved: number }>;
  /** An operator's retry of a send that failed for good at the node the run ended at (retry-step.ts). */
  retryFailedStep(instanceId: number): Promise<RetryOutcome>;
  /** Every step of one instance, oldest first. */
  timeline(instanceId: number): Promise<TimelineEntry[]>;
  /** Begin background scheduling (timers and outbox) on the real clock. */
  start(): void;
  stop(): Promise<void>;
}
