import { type ApiErrorDetail, apiErrorDetail, CodedError } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';

/**
 * A journey's lifecycle as operators change it:
 *
 *   draft ──publish──▶ live ◀──resume── paused
 *                       │  ──pause──▶     │
 *                       └──stop──▶ stopped ◀┘   (publish makes a stopped journey live again)
 *   any of them ──archive──▶ archived ──restore──▶ what it was (draft, paused or stopped)
 *
 * What each means for customers (the editor says the same in its confirms):
 * - paused: nobody new enters (entry events and audience runs during the pause enrol no one, not
 *   even later); customers already in it carry on: their waits end on time, their messages go
 *   out and events reach them. (A journey the ENGINE pauses because it cannot run is different:
 *   its timers and sends are held until it runs again, see engine/isolation.ts.)
 * - stopped: nobody new enters and every run in it ends now (exit reason "stopped", the operator's
 *   words in the timeline); its timers are dropped and its unsent messages skipped (a step whose
 *   outcome is unknown stays for an operator to resolve: it may have been sent).
 * - archived: out of the list and closed to new customers; runs in it are not ended (they carry on
 *   as when paused). Restored, it comes back paused (if it was ever published), so nobody enters
 *   until an operator resumes it.
 */
export type JourneyStatus = 'draft' | 'live' | 'paused' | 'stopped' | 'archived';

/** An operator asked for a change the journey's state does not allow (answered as 404 / 412). */
export class JourneyStateError extends CodedError {
  constructor(
    detail: ApiErrorDetail,
    readonly code: 'NOT_FOUND' | 'PRECONDITION_FAILED',
  ) {
    super(code, detail);
    this.name = 'JourneyStateError';
  }
}

async function load(db: AppDatabase, id: string) {
  const journey = await db.prisma.journey.findUnique({ where: { id } });
  if (!journey) throw new JourneyStateError(apiErrorDetail('common.notFound', { what: 'journey', id }), 'NOT_FOUND');
  return journey;
}

function refuse(status: string, to: string): never {
  throw new JourneyStateError(apiErrorDetail('journey.badStatus', { status, to }), 'PRECONDITION_FAILED');
}

/** Moves a journey from one of `from` to `to` (no customer is touched); returns the new status. */
export async function changeStatus(db: AppDatabase, id: string, from: JourneyStatus[], to: JourneyStatus) {
  const journey = await load(db, id);
  if (!from.includes(journey.status as JourneyStatus)) refuse(journey.status, to);
  if (to === 'live' && !journey.liveVersionId) {
    throw new JourneyStateError(apiErrorDetail('journey.neverPublished'), 'PRECONDITION_FAILED');
  }
  await db.prisma.journey.update({ where: { id }, data: { status: to } });
  return { id, status: to };
}

/** Brings an archived journey back as it was: a draft, stopped, or paused (never straight to live). */
export async function restoreJourney(db: AppDatabase, id: string) {
  const journey = await load(db, id);
  if (journey.status !== 'archived') refuse(journey.status, 'restored');
  const status: JourneyStatus = journey.stoppedReason !== null ? 'stopped' : journey.liveVersionId ? 'paused' : 'draft';
  await db.prisma.journey.update({ where: { id }, data: { status } });
  return { id, status };
}

/**
 * Stops a live or paused journey: nobody new enters (the status changes first), then every active
 * run ends with exit reason "stopped" and a timeline step carrying the operator's reason; its
 * timers (held ones too) are dropped and its unsent effects skipped. Runs end `chunk` at a time,
 * each chunk in its own transaction, so a journey with 100,000 customers never holds the database
 * in one long write; a stop cut short (a crash) is finished by stopping again, which a stopped
 * journey allows.
 */
export async function stopJourney(db: AppDatabase, id: string, reason: string, now: number, chunk = 500) {
  const journey = await load(db, id);
  if (!['live', 'paused', 'stopped'].includes(journey.status)) refuse(journey.status, 'stopped');
  await db.prisma.journey.update({ where: { id }, data: { status: 'stopped', stoppedReason: reason } });
  let ended = 0;
  for (;;) {
    const runs = await db.prisma.instance.findMany({
      where: { journeyId: id, status: 'active' },
      select: { id: true, versionId: true, nodeId: true },
      orderBy: { id: 'asc' },
      take: chunk,
    });
    if (runs.length === 0) break;
    await endRuns(db, id, runs, reason, now);
    ended += runs.length;
  }
  await db.prisma.heldTimer.deleteMany({ where: { journeyId: id } });
  return { id, status: 'stopped' as const, ended };
}

/** Ends these active runs of a journey being stopped, in one transaction. */
async function endRuns(
  db: AppDatabase,
  journeyId: string,
  runs: { id: number; versionId: string; nodeId: string | null }[],
  reason: string,
  now: number,
) {
  const ids = runs.map((r) => r.id);
  const at = new Date(now);
  await db.prisma.$transaction(async (tx) => {
    // Only runs still active: one the engine finished meanwhile keeps its own ending.
    const still = await tx.instance.findMany({ where: { id: { in: ids }, status: 'active' }, select: { id: true } });
    const ending = new Set(still.map((r) => r.id));
    const endingIds = [...ending];
    await tx.instance.updateMany({
      where: { id: { in: endingIds } },
      data: { status: 'exited', exitReason: 'stopped', waitingFor: null, endedAt: at, updatedAt: at },
    });
    await tx.timer.deleteMany({ where: { instanceId: { in: endingIds } } });
    await tx.outboxEffect.updateMany({
      where: { instanceId: { in: endingIds }, status: { in: ['pending', 'held'] } },
      data: { status: 'skipped', lastError: 'journey stopped' },
    });
    await tx.stepLog.createMany({
      data: runs
        .filter((r) => ending.has(r.id))
        .map((r) => ({
          instanceId: r.id,
          journeyId,
          versionId: r.versionId,
          at: BigInt(now),
          kind: 'exit',
          nodeId: r.nodeId,
          detail: JSON.stringify({ reason: 'stopped', note: reason }),
        })),
    });
  });
}

/** How many customers are in each journey now (active runs), for the confirms that name them. */
export async function activeRunCounts(db: AppDatabase, journeyIds: string[]): Promise<Map<string, number>> {
  const rows = await db.prisma.instance.groupBy({
    by: ['journeyId'],
    where: { journeyId: { in: journeyIds }, status: 'active' },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.journeyId, r._count._all]));
}
