import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../db/database.ts';
import { type JourneyEngine, ManualClock } from '../engine/api.ts';
import type { TestRunDeps } from './test-run.ts';

export interface Simulation {
  db: Database;
  clock: ManualClock;
  engine: JourneyEngine;
  /** Timer instants pending in the scratch database, soonest first (null: none). */
  nextTimerAt(): number | null;
  close(): Promise<void>;
}

/** The version id a simulated journey runs as (the draft is never a real version). */
export const SIMULATED_VERSION = 'test-version';

/**
 * A scratch SQLite database holding `graphJson` as the live version of `journey`, with the
 * workspace's coupon stocks (budget used so far included, always through the sandbox), and an
 * engine on a manual clock at `start`. Test runs and dry runs step customers through it so weeks
 * pass in milliseconds and nothing touches real customers, stats or providers.
 */
export async function openSimulation(
  ctx: TestRunDeps,
  journey: { id: string; name: string },
  graphJson: string,
  start: number,
): Promise<Simulation> {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-sim-'));
  const db = await openDatabase(join(dir, 'sim.db'));
  const close = async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const clock = new ManualClock(start);
    const engine = (ctx.createSimulation as NonNullable<TestRunDeps['createSimulation']>)(db, clock);
    await db.prisma.journey.create({
      data: { id: journey.id, name: journey.name, status: 'live', draft: graphJson, liveVersionId: SIMULATED_VERSION },
    });
    await db.prisma.journeyVersion.create({
      data: { id: SIMULATED_VERSION, journeyId: journey.id, version: 1, graph: graphJson },
    });
    const stocks = await ctx.db.prisma.couponStock.findMany();
    if (stocks.length > 0) {
      await db.prisma.couponStock.createMany({
        data: stocks.map((stock) => ({ ...stock, provider: 'sandbox', providerStockId: null })),
      });
    }
    const nextTimer = db.sqlite.prepare('SELECT min(dueAt) AS due FROM Timer');
    return {
      db,
      clock,
      engine,
      nextTimerAt() {
        const due = (nextTimer.get() as { due: number | bigint | null }).due;
        return due === null ? null : Number(due);
      },
      async close() {
        await engine.stop();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
