import {
  type CustomerView,
  durationToMs,
  isInWindow,
  type NodeExecutor,
  nextOutsideWindow,
  OutcomeUnknownError,
  type PauseReason,
  PermanentError,
  RetryableError,
} from '@siyu/shared';
import type { Logger } from '../logger.ts';
import type { Clock } from './api.ts';
import type { BatchRunner } from './batch-runner.ts';
import { type CompiledNode, parseEffectKey, stateOf } from './compiler.ts';
import type { ExecutorFailures } from './executor-failures.ts';
import { andThen } from './maybe-async.ts';
import type { Stepper } from './stepper.ts';
import type { DueEffect, EngineStore, InstanceRow } from './store/port.ts';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 3_600_000 };

/**
 * Whether the stored snapshot still waits for this effect (instance:node:visit). An instance that
 * left the node (exit condition, migration) must not get a message decided for the old step.
 */
function isActing(snapshot: string, idempotencyKey: string): boolean {
  const key = parseEffectKey(idempotencyKey);
  if (!key) return false;
  const stored = JSON.parse(snapshot) as { s: unknown; c: { v: Record<string, number> } };
  const value = stored.s as Record<string, unknown> | string;
  return typeof value === 'object' && value[stateOf(key.nodeId)] === 'acting' && stored.c.v[key.nodeId] === key.visit;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random()): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random);
}

type Outcome =
  | { kind: 'result'; port: string; data?: Record<string, unknown>; status: 'done' | 'skipped' }
  | { kind: 'retry'; at: number; error: string }
  | { kind: 'defer'; at: number }
  | { kind: 'failed'; error: string; code?: string }
  | { kind: 'unknown'; error: string }
  | { kind: 'recheck'; at: number; error: string }
  | { kind: 'stale' };

/** What an executor needs, read before it runs. */
interface Job {
  executor: NodeExecutor;
  node: CompiledNode;
  customer: CustomerView;
  row: InstanceRow;
  /** An operator chose "resend" after this step's outcome was unknown. */
  operatorResend?: boolean;
}

/** Messages admitted earlier in the same batch, per `customerId\u0000channel` (frequency caps). */
type AdmittedSends = Map<string, number>;

/**
 * Runs outbox effects through node executors, at least once, with the idempotency key
 * (instance:node:visit) so a retry or a crash-and-restart never sends twice. Results come back
 * to the instance as `effect.result` events that choose the node's port.
 */
export class Dispatcher {
  private readonly executors = new Map<string, NodeExecutor>();
  /** Set by the engine: logs failures in full and pauses journeys whose executor keeps throwing. */
  failures?: ExecutorFailures;
  /** Set by the engine: pauses a journey (isolation.ts), inside the write phase. */
  holdJourney?: (reason: PauseReason) => void;
  /** Set by the engine: moves a held journey's pending effects to "held" (isolation.ts). */
  sweepJourney?: (journeyId: string) => void;

  constructor(
    private readonly tx: BatchRunner,
    private readonly store: EngineStore,
    private readonly stepper: Stepper,
    executors: readonly NodeExecutor[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly batchSize = 200,
    private readonly executorTimeoutMs = 30_000,
  ) {
    for (const executor of executors) this.executors.set(executor.definition.type, executor);
  }

  /**
   * Runs one batch of due effects; returns how many ran and failed, or undefined if none were due.
   * Three phases: read what every executor needs in one read transaction, run the executors
   * concurrently, then store every outcome and step every instance in one write transaction.
   * `limit` (default the batch size) lets the scheduler keep a batch short (scheduler-loop.ts).
   */
  async runBatch(limit = this.batchSize): Promise<{ ran: number; failed: number } | undefined> {
    const now = this.clock.now();
    const { due, ready } = await this.tx(() =>
      andThen(this.store.claimDueEffects(now, limit), (due) => {
        const admitted: AdmittedSends = new Map();
        const ready = due.map((effect) => this.prepare(effect, now, admitted));
        this.store.markEffectsStarted(due.filter((_, i) => !('kind' in (ready[i] as object))).map((e) => e.id));
        return { due, ready };
      }),
    )();
    if (due.length === 0) return undefined;
    // One deadline per batch: AbortSignal.timeout per effect keeps a 30 s timer alive for each of
    // them, which at thousands of effects a second held hundreds of megabytes.
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(new Error('executor timed out')), this.executorTimeoutMs);
    let outcomes: Outcome[];
    try {
      outcomes = await Promise.all(
        ready.map((job, i) => ('kind' in job ? job : this.execute(due[i] as DueEffect, job, now, controller.signal))),
      );
    } finally {
      clearTimeout(deadline);
    }
    const failed = outcomes.filter((o) => o.kind === 'failed').length;
    await this.tx(() =>
      // Read again, in one statement: an event or a migration may have moved an instance while the
      // executors ran. Effects of one instance share its row object, which every step keeps current.
      andThen(this.store.instancesByIds(due.map((e) => e.instanceId)), (loaded) => {
        const rows = new Map<number, InstanceRow>();
        for (const row of loaded) rows.set(row.id, row);
        due.forEach((effect, i) => {
          this.apply(effect, outcomes[i] as Outcome, now, rows);
        });
        // After every outcome of the batch is stored: the held journey's other effects keep theirs.
        for (const reason of this.failures?.takeHolds() ?? []) this.holdJourney?.(reason);
      }),
    )();
    return { ran: due.length, failed };
  }

  /** Everything short of running the executor: staleness, quiet hours, frequency caps. */
  private prepare(effect: DueEffect, now: number, admitted: AdmittedSends): Outcome | Job {
    const row = effect.instance;
    if (row?.status !== 'active' || !isActing(row.snapshot, effect.idempotencyKey)) return { kind: 'stale' };
    // A journey that cannot run is held (its effects, this one included, wait as "held").
    const compiled = this.stepper.usable(row);
    if (!compiled) {
      // Put back to pending while held (an operator's decision on an unknown outcome, a step a
      // migration scheduled): held again, else it would be deferred to `now` and picked again forever.
      this.sweepJourney?.(row.journeyId);
      return { kind: 'defer', at: now };
    }
    const node = compiled.nodes.get(effect.nodeId);
    const executor = this.executors.get(effect.nodeType);
    if (!node) return { kind: 'failed', error: `node ${effect.nodeId} is not in version ${row.versionId}` };
    if (!executor) {
      // The package's server half is missing: its journey is paused (this effect held), not failed.
      if (this.failures && this.holdJourney) {
        this.holdJourney(
          this.failures.missingExecutor({ ...effect, journeyId: row.journeyId, versionId: row.versionId }),
        );
        return { kind: 'defer', at: now };
      }
      return { kind: 'failed', error: `no executor for node type ${effect.nodeType}` };
    }
    // Read only if the executor looks past the id (a message needs the phone; a tag does not).
    const customer = this.stepper.lazyCustomer(row.customerId);

    const settings = compiled.graph.settings;
    const spec = node.definition.effect ?? {};
    // A skipped message follows the node's "skipped" port when the operator drew one; otherwise the
    // journey goes on as if it was sent (the effect row and step log still say it was skipped).
    const skipPort =
      spec.skippedPort && node.connected.has(spec.skippedPort) ? spec.skippedPort : (node.ports[0] as string);
    // A step parked as outcome unknown runs again only after an operator decided. Mark sent and
    // skip send nothing, so quiet hours and caps do not apply to them.
    const decided = effect.attempts > 0 ? this.store.peekOutcomeResolution(effect.idempotencyKey) : undefined;
    if (decided && decided.action !== 'resend') {
      this.store.takeOutcomeResolution(effect.idempotencyKey, now);
      if (decided.action === 'markSent') {
        const data = { resolvedBy: decided.decidedBy, resolution: 'markSent' };
        return { kind: 'result', port: node.ports[0] as string, data, status: 'done' };
      }
      const data = { skipped: 'operator', resolvedBy: decided.decidedBy };
      return { kind: 'result', port: skipPort, data, status: 'skipped' };
    }
    const quiet = settings.quietHours;
    if ((spec.quietHours ?? spec.channel !== undefined) && quiet.enabled) {
      const window = { timeZone: quiet.timeZone, start: quiet.start, end: quiet.end, weekdays: [] };
      if (isInWindow(window, new Date(now))) {
        if (quiet.action === 'skip')
          return { kind: 'result', port: skipPort, data: { skipped: 'quietHours' }, status: 'skipped' };
        return { kind: 'defer', at: nextOutsideWindow(window, new Date(now)).getTime() };
      }
    }
    if (spec.channel) {
      const sendKey = `${row.customerId}\u0000${spec.channel}`;
      const sendingInBatch = admitted.get(sendKey) ?? 0;
      for (const cap of settings.frequencyCaps) {
        if (cap.channel !== spec.channel) continue;
        // This step's own message (a claim left by an attempt that died) is not counted against it.
        const since = now - durationToMs(cap.per);
        const sent = this.store.countMessages(row.customerId, cap.channel, since, effect.idempotencyKey);
        if (sent >= cap.max) {
          return {
            kind: 'result',
            port: skipPort,
            data: { skipped: 'frequencyCap', channel: cap.channel },
            status: 'skipped',
          };
        }
        // Another effect in this batch (another journey, same customer) may take the last slot;
        // whether it did is known only once it has run, so this one waits for the next batch.
        if (sent + sendingInBatch >= cap.max) return { kind: 'defer', at: now };
      }
      admitted.set(sendKey, sendingInBatch + 1);
    }
    // An operator's "resend" is handed to the executor once, only when it actually runs.
    const operatorResend =
      decided?.action === 'resend' && this.store.takeOutcomeResolution(effect.idempotencyKey, now) !== undefined;
    return { executor, node, customer, row, operatorResend };
  }

  private async execute(effect: DueEffect, job: Job, now: number, signal: AbortSignal): Promise<Outcome> {
    const { executor, node, customer, row, operatorResend } = job;
    const attempt = effect.attempts + 1;
    try {
      const result = await executor.run({
        config: node.config,
        customer,
        idempotencyKey: effect.idempotencyKey,
        attempt,
        journey: { id: row.journeyId, versionId: row.versionId },
        instanceId: String(row.id),
        nodeId: effect.nodeId,
        now: new Date(now),
        signal,
        ...(operatorResend ? { operatorResend } : {}),
      });
      if (!node.ports.includes(result.port)) {
        return { kind: 'failed', error: `executor returned unknown port "${result.port}"` };
      }
      this.failures?.succeeded(effect.nodeType);
      return { kind: 'result', port: result.port, data: result.data, status: 'done' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof OutcomeUnknownError) {
        if (error.recheckAfterMs !== undefined)
          return { kind: 'recheck', at: now + error.recheckAfterMs, error: message };
        return { kind: 'unknown', error: message };
      }
      const willRetry = !(error instanceof PermanentError) && attempt < this.retry.maxAttempts;
      this.failures?.failed(
        { ...effect, journeyId: row.journeyId, versionId: row.versionId, attempt, willRetry },
        error,
      );
      if (error instanceof RetryableError && attempt < this.retry.maxAttempts) {
        const delay = error.retryAfterMs ?? backoffMs(this.retry, attempt);
        return { kind: 'retry', at: now + delay, error: message };
      }
      if (!(error instanceof RetryableError) && !(error instanceof PermanentError)) {
        // An unexpected error is treated as retryable: the provider may be down.
        if (attempt < this.retry.maxAttempts) {
          return { kind: 'retry', at: now + backoffMs(this.retry, attempt), error: message };
        }
      }
      // The package's code (noPhone, exhausted…) goes to the step log, so screens say why in words.
      return { kind: 'failed', error: message, ...(error instanceof PermanentError ? { code: error.code } : {}) };
    }
  }

  private apply(effect: DueEffect, outcome: Outcome, now: number, rows: Map<number, InstanceRow>): void {
    const attempts = effect.attempts + 1;
    if (outcome.kind === 'stale') {
      this.store.finishEffect(effect.id, 'skipped', effect.attempts, null, 'instance no longer active', now);
      return;
    }
    if (outcome.kind === 'defer') {
      this.store.deferEffect(effect.id, outcome.at);
      return;
    }
    if (outcome.kind === 'recheck') {
      // Asking the provider again later is not another attempt at the step.
      this.store.retryEffect(effect.id, effect.attempts, outcome.at, outcome.error);
      return;
    }
    if (outcome.kind === 'unknown') {
      this.store.parkUnknownEffect(effect.id, attempts, outcome.error);
      this.logger.warn(
        { effect: effect.idempotencyKey, error: outcome.error },
        'effect outcome unknown; waits for an operator',
      );
      return;
    }
    if (outcome.kind === 'retry') {
      this.store.retryEffect(effect.id, attempts, outcome.at, outcome.error);
      this.logger.warn(
        { effect: effect.idempotencyKey, attempt: attempts, error: outcome.error },
        'effect will be retried',
      );
      return;
    }
    const row = rows.get(effect.instanceId);
    if (!row) return;
    const customer = this.stepper.lazyCustomer(row.customerId);
    const key = effect.idempotencyKey.slice(effect.idempotencyKey.indexOf(':') + 1);
    if (outcome.kind === 'result') {
      const waitsAfterEffect = this.stepper.compiled(row.versionId).nodes.get(effect.nodeId)?.definition.await;
      this.store.finishEffect(
        effect.id,
        outcome.status,
        attempts,
        JSON.stringify({ port: outcome.port, data: outcome.data }),
        null,
        now,
      );
      this.stepper.stepSafely(
        row,
        { type: 'effect.result', key, port: outcome.port, data: outcome.data, customer, now },
        {
          kind: 'effect',
          // A node that waits after its effect (invite to group → wait for the join) has not chosen
          // its port yet: the timeline shows the result in the detail, the move shows the port.
          port: waitsAfterEffect ? undefined : outcome.port,
          detail: { key: effect.idempotencyKey, status: outcome.status, data: outcome.data, result: outcome.port },
        },
      );
      return;
    }
    this.store.finishEffect(effect.id, 'failed', attempts, null, outcome.error, now);
    this.logger.warn({ effect: effect.idempotencyKey, error: outcome.error }, 'effect failed');
    const failure = {
      key: effect.idempotencyKey,
      error: outcome.error,
      ...(outcome.code ? { code: outcome.code } : {}),
    };
    const node = this.stepper.compiled(row.versionId).nodes.get(effect.nodeId);
    const failurePort = node?.definition.effect?.failurePort;
    if (failurePort && node?.connected.has(failurePort)) {
      this.stepper.stepSafely(
        row,
        { type: 'effect.result', key, port: failurePort, data: { error: outcome.error }, customer, now },
        { kind: 'error', port: failurePort, detail: failure },
      );
    } else {
      this.stepper.stepSafely(
        row,
        { type: 'exit', reason: `effectFailed:${effect.nodeId}`, customer, now },
        { kind: 'error', detail: failure },
      );
    }
  }
}
