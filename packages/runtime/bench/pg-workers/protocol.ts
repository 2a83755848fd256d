// What the bench's parent (workload.ts) and its worker processes (worker.ts) say to each other over
// the IPC channel, checked on arrival: a worker that answers something else fails the run by name.
import { z } from 'zod';

const ids = z.array(z.string());

export const WorkerCommand = z.discriminatedUnion('kind', [
  /** Enrol these customers in batches of 1,000, draining after each (as an import does). */
  z.object({ kind: z.literal('enrol'), journeyId: z.string(), ids }),
  /** Move the simulated clock on, then work everything that fell due. */
  z.object({ kind: z.literal('advance'), ms: z.number() }),
  /** Their orders, in batches of 1,000 events (group commit), draining after each. */
  z.object({ kind: z.literal('orders'), ids }),
  /**
   * Their orders at a steady rate: event `indexes[k]` of the whole stream arrives at
   * `startAt + indexes[k] * 1000 / rate` (epoch ms); what arrived since the last turn goes in one batch.
   */
  z.object({
    kind: z.literal('paced'),
    ids,
    indexes: z.array(z.number().int().nonnegative()),
    startAt: z.number(),
    rate: z.number().positive(),
  }),
  z.object({ kind: z.literal('drain') }),
  z.object({ kind: z.literal('report') }),
  z.object({ kind: z.literal('close') }),
]);
export type WorkerCommand = z.infer<typeof WorkerCommand>;

export const WorkerReport = z.object({
  workerId: z.string(),
  /** Steps this worker's stepper took since it started. */
  steps: z.number(),
  /** Every effect this worker executed, by idempotency key, in order. */
  calls: z.array(z.string()),
  /** When (epoch ms) each thank-you message after an order was sent, by idempotency key: the latency's end. */
  thanksAt: z.record(z.string(), z.number()),
  /** CPU this process used since it opened its store (process.cpuUsage), in ms. */
  cpuMs: z.number(),
  /** Rows the store wrote, as the store counts them (PostgreSQL: rows sent; SQLite: total_changes). */
  rowsWritten: z.number(),
});
export type WorkerReport = z.infer<typeof WorkerReport>;

export const WorkerReply = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready') }),
  /** A phase finished; `steps` is the worker's running total. */
  z.object({ kind: z.literal('done'), steps: z.number() }),
  z.object({ kind: z.literal('report'), report: WorkerReport }),
  z.object({ kind: z.literal('closed') }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]);
export type WorkerReply = z.infer<typeof WorkerReply>;

/** Wall-clock epoch ms with sub-ms precision, comparable between processes on one machine. */
export const wallNow = () => performance.timeOrigin + performance.now();
