// What every queue in the comparison is measured by: the same jobs claimed in batches by 1 or N
// consumers (each with its own connections, as worker processes), timed from the consumers' start
// until the last job is recorded complete; each claim's round trip timed as the consumer sees it.

import { percentile } from '../percentile.ts';

export interface QueueRun {
  /** Due jobs seeded before the consumers start. */
  jobs: number;
  consumers: number;
  /** Jobs a consumer claims at once. */
  batchSize: number;
}

/** What one run of one queue gave. */
export interface QueueRunResult {
  /** Consumers' start → last job recorded complete. */
  wallMs: number;
  /** Each claim that returned jobs: its round trip in ms, as the consumer saw it. */
  claimMs: number[];
  /** Every job id claimed, by every consumer (a repeat is a job claimed twice). */
  claimedIds: Array<string | number>;
  /** Jobs per consumer, in consumer order. */
  jobsByConsumer: number[];
  /** Time to put the jobs in (the queue's bulk insert, or ours through SQL). */
  seedMs: number;
}

/** A queue under test, on its own schema of one scratch database. */
export interface QueueContender {
  name: string;
  /** What its claim and completion are, in a line (for the printed table and docs). */
  how: string;
  /** Seeds the jobs, calls `seeded` (every seeding connection closed), then consumes them all. */
  run(url: string, run: QueueRun, seeded: () => Promise<void>): Promise<QueueRunResult>;
}

export interface QueueRunFigures extends QueueRun {
  queue: string;
  how: string;
  /** Jobs claimed and completed per second, all consumers together. */
  jobsPerSec: number;
  claimP50Ms: number;
  claimP99Ms: number;
  /** Claims that returned jobs (jobs ÷ claims = the batches' fill). */
  claims: number;
  jobsByConsumer: number[];
  seedMs: number;
  wallMs: number;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The figures of one run, after checking it: every job claimed exactly once and completed. A queue
 * that loses or repeats a job fails the bench instead of giving a rate.
 */
export function figuresOf(contender: QueueContender, run: QueueRun, result: QueueRunResult): QueueRunFigures {
  const seen = new Map<string | number, number>();
  for (const id of result.claimedIds) seen.set(id, (seen.get(id) ?? 0) + 1);
  const repeated = [...seen].filter(([, n]) => n > 1);
  if (repeated.length > 0) {
    throw new Error(
      `${contender.name}: ${repeated.length} jobs claimed more than once (${repeated
        .slice(0, 5)
        .map(([id, n]) => `${id} ×${n}`)
        .join(', ')})`,
    );
  }
  if (seen.size !== run.jobs) throw new Error(`${contender.name}: ${seen.size} of ${run.jobs} jobs claimed`);
  const claims = [...result.claimMs].sort((a, b) => a - b);
  return {
    queue: contender.name,
    how: contender.how,
    ...run,
    jobsPerSec: Math.round((run.jobs / result.wallMs) * 1000),
    claimP50Ms: round(percentile(claims, 0.5), 2),
    claimP99Ms: round(percentile(claims, 0.99), 2),
    claims: result.claimMs.length,
    jobsByConsumer: result.jobsByConsumer,
    seedMs: Math.round(result.seedMs),
    wallMs: Math.round(result.wallMs),
  };
}

/** `work`'s duration in ms, pushed onto `into`, and its value. */
export async function timed<T>(into: number[], work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const value = await work();
  into.push(performance.now() - start);
  return value;
}

/** `count` items made by `make`, in chunks of `size` (bulk inserts are sent a chunk at a time). */
export function chunks<T>(count: number, size: number, make: (i: number) => T): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < count; start += size) {
    out.push(Array.from({ length: Math.min(size, count - start) }, (_, k) => make(start + k)));
  }
  return out;
}
