// The benchmark journey's workload (as bench/run.ts runs it in one process) spread over worker
// processes: each phase is split between the workers, started on all at once, and over when the
// last one is done. Enrolments and orders are dealt out (as web processes behind a balancer
// would); timers and effects are not: every worker drains, and the store's claims share them out.
import type { WorkerReport } from './protocol.ts';
import { wallNow } from './protocol.ts';
import type { WorkerProcess } from './worker-process.ts';

const DAY = 86_400_000;
export const JOURNEY_ID = 'bench';

export interface WorkloadPlan {
  /** Every customer, in order; each is enrolled once. */
  ids: readonly string[];
  /** The first `latencyEvents` customers order in the paced stream (event → effect latency). */
  latencyEvents: number;
  /** The customers up to this index order in bulk (or in the paced stream); the rest time out. */
  buyers: number;
  /** Events per second of the paced stream, over all workers. */
  rate: number;
}

export interface Phase {
  label: string;
  seconds: number;
  steps: number;
  /** Whether it counts towards steps/s (the paced stream is limited by its rate, not the engine). */
  measured: boolean;
}

export interface WorkloadResult {
  phases: Phase[];
  /** Steps of the measured phases ÷ their wall time, all workers together. */
  stepsPerSec: number;
  measuredSteps: number;
  measuredSeconds: number;
  totalSteps: number;
  /** Scheduled arrival (epoch ms) of each paced customer's order. */
  arrivals: Map<string, number>;
  achievedEventsPerSec: number;
  reports: WorkerReport[];
}

/** `items` dealt into `n` contiguous shares (the last ones one shorter). */
export function split<T>(items: readonly T[], n: number): T[][] {
  const size = Math.ceil(items.length / n);
  return Array.from({ length: n }, (_, k) => items.slice(k * size, (k + 1) * size));
}

export async function runWorkload(
  workers: readonly WorkerProcess[],
  plan: WorkloadPlan,
  log: (line: string) => void = () => {},
): Promise<WorkloadResult> {
  const n = workers.length;
  const totals = workers.map(() => 0);
  const phases: Phase[] = [];
  const phase = async (
    label: string,
    measured: boolean,
    commandOf: (k: number) => Parameters<WorkerProcess['phase']>[0] | undefined,
  ) => {
    const before = totals.reduce((a, b) => a + b, 0);
    const t0 = performance.now();
    await Promise.all(
      workers.map(async (w, k) => {
        const command = commandOf(k);
        // A worker with no share of an enrolment or of the orders still drains what others queue.
        totals[k] = await w.phase(command ?? { kind: 'drain' });
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const steps = totals.reduce((a, b) => a + b, 0) - before;
    phases.push({ label, seconds, steps, measured });
    log(
      `    ${label.padEnd(34)} ${String(steps).padStart(9)} steps ${seconds.toFixed(2).padStart(7)} s  ${Math.round(steps / seconds)} steps/s`,
    );
  };

  const enrolShares = split(plan.ids, n);
  await phase('enrol + welcome + tag', true, (k) => ({
    kind: 'enrol',
    journeyId: JOURNEY_ID,
    ids: enrolShares[k] ?? [],
  }));
  await phase('1-day timers + branch + coupon', true, () => ({ kind: 'advance', ms: DAY }));

  const paced = plan.ids.slice(0, plan.latencyEvents);
  const bulkShares = split(plan.ids.slice(plan.latencyEvents, Math.max(plan.latencyEvents, plan.buyers)), n);
  await phase('orders (group commit per 1,000)', true, (k) => ({ kind: 'orders', ids: bulkShares[k] ?? [] }));

  // The paced stream, dealt round-robin so every worker's arrivals are spread over the whole stream.
  const startAt = wallNow() + 200;
  const arrivals = new Map(paced.map((id, i) => [id, startAt + (i * 1000) / plan.rate]));
  const pacedT0 = performance.now();
  await phase(`paced orders at ${plan.rate}/s`, false, (k) => {
    const indexes = paced.map((_, i) => i).filter((i) => i % n === k);
    return { kind: 'paced', ids: indexes.map((i) => paced[i] as string), indexes, startAt, rate: plan.rate };
  });
  const achievedEventsPerSec = paced.length / Math.max(0.001, (performance.now() - pacedT0) / 1000 - 0.2);

  await phase('7-day timeouts + exit', true, () => ({ kind: 'advance', ms: 7 * DAY }));
  // One more round on all: a worker that found only rows another held may have stopped early.
  await phase('final drain', true, () => ({ kind: 'drain' }));

  const reports = await Promise.all(workers.map((w) => w.report()));
  const measured = phases.filter((p) => p.measured);
  const measuredSteps = measured.reduce((a, p) => a + p.steps, 0);
  const measuredSeconds = measured.reduce((a, p) => a + p.seconds, 0);
  return {
    phases,
    stepsPerSec: measuredSteps / measuredSeconds,
    measuredSteps,
    measuredSeconds,
    totalSteps: phases.reduce((a, p) => a + p.steps, 0),
    arrivals,
    achievedEventsPerSec,
    reports,
  };
}

/** Event → effect latencies (ms, sorted): each paced order's arrival to the thank-you message after it. */
export function latencies(
  arrivals: ReadonlyMap<string, number>,
  instanceOf: ReadonlyMap<string, number>,
  reports: readonly WorkerReport[],
): number[] {
  const executedAt = new Map<string, number>();
  for (const r of reports) for (const [key, at] of Object.entries(r.thanksAt)) executedAt.set(key, at);
  const out: number[] = [];
  for (const [customerId, arrival] of arrivals) {
    const instanceId = instanceOf.get(customerId);
    const at = instanceId === undefined ? undefined : executedAt.get(`${instanceId}:thanks:1`);
    if (at !== undefined) out.push(at - arrival);
  }
  return out.sort((a, b) => a - b);
}
