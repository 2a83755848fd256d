import type { JourneyEventInput, PackageJob } from '@siyu/shared';
import type { Logger } from '../logger.ts';

/**
 * Runs node packages' scheduled jobs from the engine's tick, on the engine's clock (so a simulated
 * month expires coupons as a real one would), and ingests the events they return. A failing job is
 * logged and tried again at its next interval; it never stops the tick.
 */
export function packageJobs(deps: {
  jobs: readonly PackageJob[];
  ingest: (events: readonly JourneyEventInput[]) => unknown;
  logger: Logger;
}) {
  const lastRun = new Map<string, number>();
  return async function runDueJobs(now: number): Promise<number> {
    let events = 0;
    for (const job of deps.jobs) {
      const last = lastRun.get(job.name);
      if (last !== undefined && now - last < job.everyMs) continue;
      lastRun.set(job.name, now);
      try {
        const produced = await job.run(new Date(now));
        if (produced.length > 0) await deps.ingest(produced);
        events += produced.length;
      } catch (error) {
        deps.logger.error({ err: error, job: job.name }, 'package job failed');
      }
    }
    return events;
  };
}
