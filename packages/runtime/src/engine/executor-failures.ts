import { type NodeRegistry, type PauseReason, PermanentError, RetryableError } from '@siyu/shared';
import type { Logger } from '../logger.ts';

/** What the dispatcher knows about a failing effect when its executor throws. */
export interface FailedEffect {
  nodeId: string;
  nodeType: string;
  idempotencyKey: string;
  journeyId: string;
  versionId: string;
  instanceId: number;
  attempt: number;
  /** Whether the dispatcher will try again (false: the customer takes the failure port or exits). */
  willRetry: boolean;
}

/**
 * The package a node type belongs to; a type no installed package defines is named by its prefix
 * ("lottery.draw" → "lottery") and reported as not installed.
 */
export function packageOfNodeType(registry: NodeRegistry, nodeType: string): { name: string; installed: boolean } {
  const pkg = registry.packages.find((p) => p.nodes.some((n) => n.type === nodeType));
  return pkg ? { name: pkg.name, installed: true } : { name: nodeType.split('.')[0] ?? '', installed: false };
}

/** Unexpected failures in a row, with no success of that node type between them, that pause its journeys. */
export const FAILING_EXECUTOR_THRESHOLD = 10;

/**
 * Watches executors. Every failure is logged with what a developer needs: the stack, the package,
 * the node type and node, the journey and version, the attempt (a bare message used to be all).
 *
 * An executor that throws something other than RetryableError / PermanentError is a bug or an
 * outage the package did not classify. When one node type does that FAILING_EXECUTOR_THRESHOLD
 * times in a row, every journey that runs it is paused as soon as it fails again (reason
 * "executorFailing"), instead of retrying each customer five times into the failure port; the
 * effects wait, held, until the journey is resumed (after a fix).
 */
export class ExecutorFailures {
  private readonly streak = new Map<string, number>();
  private readonly toHold = new Map<string, PauseReason>();

  constructor(
    private readonly logger: Logger,
    private readonly registry: NodeRegistry,
    private readonly now: () => number,
    private readonly journeyName: (journeyId: string) => string,
    private readonly threshold = FAILING_EXECUTOR_THRESHOLD,
  ) {}

  packageOf(nodeType: string): string {
    return packageOfNodeType(this.registry, nodeType).name;
  }

  succeeded(nodeType: string): void {
    this.streak.delete(nodeType);
  }

  failed(effect: FailedEffect, error: unknown): void {
    const classified = error instanceof RetryableError || error instanceof PermanentError;
    const pkg = this.packageOf(effect.nodeType);
    // A classified error is the package saying what happened (a timeout, an opted-out number): a
    // warning. Anything else is a bug or an unclassified outage: an error, with its stack.
    this.logger[classified ? 'warn' : 'error'](
      {
        err: error,
        package: pkg,
        nodeType: effect.nodeType,
        nodeId: effect.nodeId,
        journeyId: effect.journeyId,
        versionId: effect.versionId,
        instanceId: effect.instanceId,
        effect: effect.idempotencyKey,
        attempt: effect.attempt,
        willRetry: effect.willRetry,
      },
      classified
        ? `executor ${effect.nodeType} failed${effect.willRetry ? '; will retry' : ''}`
        : `executor ${effect.nodeType} threw an unexpected ${error instanceof Error ? error.name : typeof error}${effect.willRetry ? '; will retry' : ''}`,
    );
    if (classified) return;
    const streak = (this.streak.get(effect.nodeType) ?? 0) + 1;
    this.streak.set(effect.nodeType, streak);
    if (streak < this.threshold || this.toHold.has(effect.journeyId)) return;
    this.toHold.set(
      effect.journeyId,
      this.pauseReason(
        'executorFailing',
        effect,
        { name: pkg, installed: true },
        `${streak} unexpected failures in a row; last: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      ),
    );
  }

  /**
   * The reason to pause a journey whose node has a definition but no executor: the package's
   * server half did not load (its factory threw, or discovery dropped it). Every customer reaching
   * the node used to fail and exit; they wait instead until the package is fixed.
   */
  missingExecutor(effect: Omit<FailedEffect, 'attempt' | 'willRetry'>): PauseReason {
    this.logger.error(
      {
        package: this.packageOf(effect.nodeType),
        nodeType: effect.nodeType,
        nodeId: effect.nodeId,
        journeyId: effect.journeyId,
      },
      `no executor for node type ${effect.nodeType}: its package's server part is not loaded`,
    );
    return this.pauseReason(
      'packageMissing',
      effect,
      { name: this.packageOf(effect.nodeType), installed: false },
      `no executor for node type ${effect.nodeType} (the package's server part is not loaded)`,
    );
  }

  /** Why a journey is paused, at its failing node (named as the registry knows it), now. */
  private pauseReason(
    kind: 'executorFailing' | 'packageMissing',
    effect: Pick<FailedEffect, 'journeyId' | 'versionId' | 'nodeId' | 'nodeType'>,
    pkg: { name: string; installed: boolean },
    detail: string,
  ): PauseReason {
    const definition = this.registry.get(effect.nodeType);
    return {
      kind,
      at: this.now(),
      journey: { id: effect.journeyId, name: this.journeyName(effect.journeyId) },
      version: { id: effect.versionId, number: null },
      node: {
        id: effect.nodeId,
        type: effect.nodeType,
        title: definition?.label,
        installedVersion: definition?.version,
      },
      package: pkg,
      detail,
    };
  }

  /** Journeys to pause, decided while executors ran; taken once (the dispatcher's write phase). */
  takeHolds(): PauseReason[] {
    const holds = [...this.toHold.values()];
    this.toHold.clear();
    return holds;
  }
}
