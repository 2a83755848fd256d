import { codedError, type JourneyGraph, validateGraph } from '@siyu/shared';
import { z } from 'zod';
import { readWorkspaceSettings } from '../settings/workspace-settings.ts';
import { type EntryEstimate, estimateEntries } from './entry-estimate.ts';
import { copyCustomersInto, copyEventsInto } from './simulation-customers.ts';
import { openSimulation, type Simulation } from './simulation-database.ts';
import type { TestRunDeps } from './test-run.ts';

export const DryRunInputSchema = z.object({
  journeyId: z.string().min(1).max(100),
  /** Real customers simulated (drawn at random from those the entry would take). */
  sampleSize: z.number().int().min(1).max(500).default(200),
  /** Simulated time each sampled customer is followed for. */
  horizonDays: z.number().int().min(1).max(366).default(30),
});
export type DryRunInput = z.infer<typeof DryRunInputSchema>;

/** What the sampled customers did in the simulation, counted. */
export interface SampleCounts {
  /** Messages sent per channel (sms, wecom…). */
  messages: Record<string, number>;
  /** Billed SMS parts (≤70 characters one part, longer per 67). */
  smsParts: number;
  /** Coupons issued per batch. */
  coupons: Record<string, number>;
  /** How runs left each node, by port: the branches taken, sends that failed. */
  moves: { fromNodeId: string; port: string; runs: number }[];
  /** Sends that failed for good, by node and reason. */
  failures: { nodeId: string; reason: string; runs: number }[];
}

/** An entry's estimate without its candidate list (the sample is drawn from it, not shown). */
export type EntryFigures =
  | Omit<Extract<EntryEstimate, { kind: 'audience' }>, 'sample'>
  | Omit<Extract<EntryEstimate, { kind: 'event' }>, 'sample'>
  | Extract<EntryEstimate, { kind: 'api' }>;

export interface DryRunResult {
  entries: EntryFigures[];
  sample: {
    /** Customers drawn from the entry's candidates. */
    drawn: number;
    /** Of those, how many the journey enrolled (entry conditions, opt-outs and rules applied). */
    enrolled: number;
    /** Runs still waiting when the horizon ended (an event that never came, a long wait). */
    stillActive: number;
    horizonDays: number;
    counts: SampleCounts;
  };
  /**
   * The sample scaled to who would enter: `now` for segment entries (members now), `perDay` for
   * event entries (customers a day). Null when nothing can be read (an API entry).
   */
  forecast: {
    basis: 'now' | 'perDay';
    customers: number;
    messages: Record<string, number>;
    smsParts: number;
    smsCostYuan: number;
    coupons: { stockId: string; name: string; issued: number; left: number; exceedsStock: boolean }[];
  } | null;
  smsPricePerPartYuan: number;
}

/** Uniform random pick of `n` from `items` (partial Fisher–Yates on a copy). */
function pick<T>(items: readonly T[], n: number): T[] {
  const copy = [...items];
  const count = Math.min(n, copy.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(Math.random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, count);
}

/**
 * A dry run before publish: reads who would enter the draft now (segment members, or the recent
 * rate of the entry's events), runs a random sample of those real customers through the draft in
 * a scratch database with the sandbox providers, jumping timer to timer over `horizonDays`, and
 * counts what would be sent: messages per channel, SMS parts and their cost, coupons against each
 * batch's stock. The sampled customers do nothing in the simulation (no orders, no replies), so
 * branches that wait for an event take their timeout path: the forecast is what the journey
 * itself would send.
 */
export async function dryRunJourney(ctx: TestRunDeps, input: DryRunInput): Promise<DryRunResult> {
  // One at a time per process: each copies up to 500 customers into a scratch database and steps
  // them for simulated months; several at once would take the cores the live engine needs.
  if (dryRunning) throw codedError('TOO_MANY_REQUESTS', 'journey.dryRunBusy');
  dryRunning = true;
  try {
    return await dryRunOnce(ctx, input);
  } finally {
    dryRunning = false;
  }
}

let dryRunning = false;

async function dryRunOnce(ctx: TestRunDeps, input: DryRunInput): Promise<DryRunResult> {
  const journey = await ctx.db.prisma.journey.findUnique({ where: { id: input.journeyId } });
  if (!journey) throw codedError('NOT_FOUND', 'common.notFound', { what: 'journey', id: input.journeyId });
  const graph = JSON.parse(journey.draft) as JourneyGraph;
  const problems = validateGraph(graph, ctx.registry);
  if (problems.length > 0) throw codedError('BAD_REQUEST', 'journey.hasProblems', { count: problems.length });
  const now = ctx.clock.now();
  const entries = await estimateEntries(ctx.db, ctx.registry, graph, now);
  const settings = await readWorkspaceSettings(ctx.db);

  const simulation = await openSimulation(ctx, journey, journey.draft, now);
  try {
    const enrolled = await enrolSample(ctx, simulation, journey.id, entries, input.sampleSize);
    const end = now + input.horizonDays * 86_400_000;
    await runUntil(simulation, end);
    const counts = countSample(simulation);
    const stillActive = (
      simulation.db.sqlite.prepare("SELECT count(*) AS n FROM Instance WHERE status = 'active'").get() as { n: number }
    ).n;
    const stocks = await ctx.db.prisma.couponStock.findMany();
    return {
      entries: entries.map((entry): EntryFigures => {
        if (entry.kind === 'api') return entry;
        const { sample: _sample, ...figures } = entry;
        return figures;
      }),
      sample: {
        drawn: enrolled.drawn,
        enrolled: enrolled.enrolled,
        stillActive,
        horizonDays: input.horizonDays,
        counts,
      },
      forecast: forecastOf(entries, enrolled, counts, stocks, settings.smsPricePerPartYuan),
      smsPricePerPartYuan: settings.smsPricePerPartYuan,
    };
  } finally {
    await simulation.close();
  }
}

interface Enrolled {
  drawn: number;
  enrolled: number;
}

/** Draws the sample from each entry's candidates, copies it in and enrols it the way the entry would. */
async function enrolSample(
  ctx: TestRunDeps,
  simulation: Simulation,
  journeyId: string,
  entries: EntryEstimate[],
  sampleSize: number,
): Promise<Enrolled> {
  let drawn = 0;
  let enrolled = 0;
  for (const entry of entries) {
    if (entry.kind === 'api') continue;
    if (entry.kind === 'audience') {
      const ids = pick(entry.sample, sampleSize);
      await copyCustomersInto(ctx.db, simulation.db, ids);
      drawn += ids.length;
      for (const id of ids) {
        const outcome = await simulation.engine.enroll(journeyId, id, { entryNodeId: entry.nodeId });
        if (outcome.status === 'enrolled') enrolled++;
      }
    } else {
      const chosen = pick(entry.sample, sampleSize);
      await copyCustomersInto(
        ctx.db,
        simulation.db,
        chosen.map((c) => c.customerId),
      );
      // Through the real event intake, so the entry's conditions decide who enters.
      const events = await copyEventsInto(
        ctx.db,
        chosen.map((c) => c.eventId),
      );
      drawn += chosen.length;
      for (const event of events) {
        const outcome = await simulation.engine.ingestEvent(
          { ...event, occurredAt: new Date(simulation.clock.now()) },
          'dryRun',
        );
        enrolled += outcome.enrolled;
      }
    }
  }
  return { drawn, enrolled };
}

/** Fires timers and effects, jumping from timer to timer, until nothing is due before `end`. */
async function runUntil(simulation: Simulation, end: number): Promise<void> {
  for (let guard = 0; guard < 100_000; guard++) {
    await simulation.engine.tick();
    const next = simulation.nextTimerAt();
    if (next === null || next > end) return;
    simulation.clock.set(Math.max(simulation.clock.now(), next));
  }
}

function countSample(simulation: Simulation): SampleCounts {
  const sql = simulation.db.sqlite;
  const messages: Record<string, number> = {};
  let smsParts = 0;
  for (const row of sql
    .prepare(
      "SELECT channel, count(*) AS n, sum(parts) AS parts FROM Message WHERE status != 'failed' GROUP BY channel",
    )
    .all() as { channel: string; n: number; parts: number }[]) {
    messages[row.channel] = row.n;
    if (row.channel === 'sms') smsParts = row.parts;
  }
  const coupons: Record<string, number> = {};
  for (const row of sql.prepare('SELECT stockId, count(*) AS n FROM Coupon GROUP BY stockId').all() as {
    stockId: string;
    n: number;
  }[]) {
    coupons[row.stockId] = row.n;
  }
  const moves = sql
    .prepare(
      `SELECT fromNodeId, port, count(DISTINCT instanceId) AS runs FROM StepLog
       WHERE kind = 'move' AND fromNodeId IS NOT NULL AND port IS NOT NULL GROUP BY fromNodeId, port ORDER BY fromNodeId, port`,
    )
    .all() as SampleCounts['moves'];
  const failures = sql
    .prepare(
      `SELECT nodeId, coalesce(lastError, '') AS reason, count(*) AS runs FROM OutboxEffect
       WHERE status = 'failed' GROUP BY nodeId, reason ORDER BY runs DESC`,
    )
    .all() as SampleCounts['failures'];
  return { messages, smsParts, coupons, moves, failures };
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function forecastOf(
  entries: EntryEstimate[],
  enrolled: Enrolled,
  counts: SampleCounts,
  stocks: { id: string; name: string; maxCoupons: number; issued: number }[],
  pricePerPart: number,
): DryRunResult['forecast'] {
  const readable = entries.filter((e) => e.kind !== 'api');
  if (readable.length === 0 || enrolled.drawn === 0) return null;
  const basis = readable.some((e) => e.kind === 'audience') ? 'now' : 'perDay';
  // Candidates the entries would take (members now, or customers a day), times the share of the
  // drawn sample the journey enrolled; per-run counts scale from the sample's runs.
  const candidates = readable.reduce(
    (sum, e) => sum + (e.kind === 'audience' ? e.membersNow : e.kind === 'event' ? e.perDay : 0),
    0,
  );
  const customers = candidates * (enrolled.enrolled / enrolled.drawn);
  const perRun = (n: number) => (enrolled.enrolled === 0 ? 0 : (n / enrolled.enrolled) * customers);
  const messages = Object.fromEntries(
    Object.entries(counts.messages).map(([channel, n]) => [channel, round(perRun(n), 1)]),
  );
  const smsParts = round(perRun(counts.smsParts), 1);
  return {
    basis,
    customers: round(customers, 1),
    messages,
    smsParts,
    smsCostYuan: round(smsParts * pricePerPart),
    coupons: Object.entries(counts.coupons).map(([stockId, n]) => {
      const stock = stocks.find((s) => s.id === stockId);
      const left = stock ? Math.max(0, stock.maxCoupons - stock.issued) : 0;
      const issued = round(perRun(n), 1);
      return { stockId, name: stock?.name ?? stockId, issued, left, exceedsStock: issued > left };
    }),
  };
}
