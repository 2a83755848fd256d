import { type EntryTrigger, latestRunTime, type SegmentFilterLike, SegmentFilterSchema } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { segmentMemberIds } from '../audiences/segments.ts';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient, SqlDialect } from '../db/sql-client.ts';
import type { Logger } from '../logger.ts';
import type { EnrollOutcome } from './api.ts';
import type { CompiledJourney } from './compiler.ts';
import { andThen, type MaybePromise } from './maybe-async.ts';
import type { EngineStore } from './store/port.ts';

type AudienceTrigger = Extract<EntryTrigger, { kind: 'audience' }>;

export interface AudienceRunReport {
  journeyId: string;
  nodeId: string;
  matched: number;
  /** Enrolled by this call. */
  enrolled: number;
  /** Enrolled by the whole run so far (more than `enrolled` when it resumed or went on in slices). */
  runEnrolled: number;
  /** False while slices remain (the slice budget ran out): the next call goes on. */
  finished: boolean;
}

/** Enrolments per transaction: a large segment never holds the database in one long write. */
const SLICE = 2000;

const LIVE_JOURNEYS = `SELECT id, liveVersionId FROM Journey WHERE status = 'live' AND liveVersionId IS NOT NULL`;
const RUN_STATE =
  'SELECT lastRunAt, cursor, matched, enrolled, occurrenceAt FROM AudienceRun WHERE journeyId = ? AND nodeId = ?';
const PUBLISHED_AT = 'SELECT publishedAt FROM JourneyVersion WHERE id = ?';
/** Customers with a run of the journey going on: a calendar run leaves them where they are. */
const ACTIVE_CUSTOMERS = "SELECT DISTINCT customerId FROM Instance WHERE journeyId = ? AND status = 'active'";
const SEGMENT_FILTER = 'SELECT filter FROM Segment WHERE id = ?';
// Starting and advancing a run are compare-and-set on its state, so of several engines on one
// database one starts a run and one enrols each slice (the others find the state moved on).
const FIRST_RUN = `INSERT INTO AudienceRun (journeyId, nodeId, versionId, lastRunAt, matched, enrolled, cursor)
  VALUES (?, ?, ?, ?, ?, 0, '') ON CONFLICT (journeyId, nodeId) DO NOTHING RETURNING journeyId`;
const NEXT_RUN = `UPDATE AudienceRun SET versionId = ?, lastRunAt = ?, matched = ?, enrolled = 0, cursor = ''
  WHERE journeyId = ? AND nodeId = ? AND cursor IS NULL AND lastRunAt = ? RETURNING journeyId`;
// A calendar entry claims a run time by moving `occurrenceAt` forward to it: the first engine's
// update matches, a second one's (same run time, or an older one it computed late) does not.
const FIRST_OCCURRENCE = `INSERT INTO AudienceRun (journeyId, nodeId, versionId, lastRunAt, matched, enrolled, cursor, occurrenceAt)
  VALUES (?, ?, ?, ?, ?, 0, '', ?) ON CONFLICT (journeyId, nodeId) DO NOTHING RETURNING journeyId`;
const NEXT_OCCURRENCE = `UPDATE AudienceRun SET versionId = ?, lastRunAt = ?, matched = ?, enrolled = 0, cursor = '', occurrenceAt = ?
  WHERE journeyId = ? AND nodeId = ? AND cursor IS NULL AND (occurrenceAt IS NULL OR occurrenceAt < ?) RETURNING journeyId`;
const TAKE_SLICE =
  'UPDATE AudienceRun SET cursor = ? WHERE journeyId = ? AND nodeId = ? AND cursor = ? RETURNING cursor';
const COUNT_SLICE = 'UPDATE AudienceRun SET enrolled = enrolled + ? WHERE journeyId = ? AND nodeId = ?';
const FINISH_RUN =
  'UPDATE AudienceRun SET cursor = NULL WHERE journeyId = ? AND nodeId = ? AND cursor = ? RETURNING matched, enrolled';

interface RunState {
  lastRunAt: string;
  cursor: string | null;
  matched: number;
  enrolled: number;
  occurrenceAt: string | null;
}

/**
 * Audience entry nodes: a "once" entry enrols its segment the first time the journey is live (a
 * later re-publish does not re-send a campaign); a repeating entry enrols it again every `everyMs`
 * (the journey's re-entry policy decides who may start again). A calendar entry enrols it at each
 * run time of its schedule (entry-schedule.ts) once: the run time is claimed in one compare-and-set
 * on AudienceRun.occurrenceAt, so of several engines on one database exactly one runs it. Run times
 * before the version was published are not run; after downtime over several run times only the
 * latest runs (once). A calendar run enrols the members without a run of the journey going on (the
 * re-entry policy then applies as for any entry: `once` never lets a finished customer in again,
 * `afterExit` and `always` do). A run enrols its members in id
 * order, one slice per batch, and its AudienceRun row keeps the last id enrolled: after a
 * crash the run resumes after that id, so nobody is enrolled twice by it and nobody is skipped.
 * Each slice is one store batch: its enrolments and the run's cursor commit together.
 */
export function audienceEntries(deps: {
  /** Reads between batches; the segment's members (streamed from SQLite's connection there). */
  db: { dialect: SqlDialect; sql: SqlClient; sqlite?: BetterSqlite3.Database };
  store: Pick<EngineStore, 'batchRead' | 'batchWrite' | 'prepareEnrolment'>;
  /** Runs `work` as one store batch (the engine's batch runner). */
  batch: <T>(work: () => MaybePromise<T>) => MaybePromise<T>;
  /** Undefined when the journey cannot run now (held, see isolation.ts): it is skipped. Inside a batch. */
  compiled: (versionId: string, journeyId: string) => CompiledJourney | undefined;
  /** Enrols a slice inside the open batch (enrolment.enrollBatch). */
  enroll: (journeyId: string, customerIds: readonly string[], entryNodeId: string) => MaybePromise<EnrollOutcome[]>;
  logger: Logger;
}) {
  const { sql } = deps.db;
  /** Audience entry nodes per version (versions are immutable): a version is compiled here once. */
  const entriesOf = new Map<string, Array<{ nodeId: string; trigger: AudienceTrigger }>>();

  /** The version's audience entries, compiled inside a batch (it may hold a broken journey). */
  async function audienceNodes(journeyId: string, versionId: string) {
    const known = entriesOf.get(versionId);
    if (known) return known;
    // The enrolment load with no customers makes the live version's graph readable.
    const compiled = await deps.batch(() =>
      andThen(deps.store.prepareEnrolment(journeyId, []), () => deps.compiled(versionId, journeyId)),
    );
    if (!compiled) return undefined;
    const entries: Array<{ nodeId: string; trigger: AudienceTrigger }> = [];
    for (const nodeId of compiled.entryNodeIds) {
      const node = compiled.nodes.get(nodeId);
      const trigger = node?.definition.entry?.trigger(node.config);
      if (trigger?.kind === 'audience') entries.push({ nodeId, trigger });
    }
    entriesOf.set(versionId, entries);
    return entries;
  }

  /** The calendar run time due at `now` (claimed later), or undefined. */
  async function dueOccurrence(
    state: RunState | undefined,
    schedule: NonNullable<AudienceTrigger['calendar']>,
    versionId: string,
    now: number,
  ): Promise<Date | undefined> {
    const version = await sql.get<{ publishedAt: string | Date }>(PUBLISHED_AT, [versionId]);
    const publishedAt = version ? new Date(version.publishedAt).getTime() : now;
    const served = state?.occurrenceAt ? Date.parse(state.occurrenceAt) : Number.NEGATIVE_INFINITY;
    return latestRunTime(schedule, Math.max(publishedAt, served), now);
  }

  function isDue(state: RunState | undefined, trigger: AudienceTrigger, now: number): boolean {
    if (!state) return true;
    return trigger.everyMs !== undefined && now - Date.parse(state.lastRunAt) >= trigger.everyMs;
  }

  async function filtersOf(trigger: AudienceTrigger): Promise<SegmentFilterLike[] | string> {
    const filters: SegmentFilterLike[] = [trigger.filter];
    if (trigger.segmentId) {
      const row = await sql.get<{ filter: string }>(SEGMENT_FILTER, [trigger.segmentId]);
      if (!row) return `segment ${trigger.segmentId} does not exist`;
      filters.push(SegmentFilterSchema.parse(JSON.parse(row.filter)));
    }
    return filters;
  }

  /** Enrols one slice after `cursor`; undefined when another engine took it first. */
  const enrollSlice = (journeyId: string, nodeId: string, cursor: string, slice: string[]) =>
    deps.batch(() =>
      andThen(
        deps.store.batchRead(TAKE_SLICE, [slice[slice.length - 1] as string, journeyId, nodeId, cursor]),
        (taken) => {
          if (taken.length === 0) return undefined;
          return andThen(deps.enroll(journeyId, slice, nodeId), (outcomes) => {
            let enrolled = 0;
            for (const outcome of outcomes) if (outcome.status === 'enrolled') enrolled++;
            deps.store.batchWrite(COUNT_SLICE, [enrolled, journeyId, nodeId]);
            return enrolled;
          });
        },
      ),
    );

  /** Starts the run of a calendar run time; no rows when another engine claimed it first. */
  function claimOccurrence(
    journeyId: string,
    nodeId: string,
    versionId: string,
    at: string,
    matched: number,
    occurrence: Date,
    state: RunState | undefined,
  ) {
    const claimed = occurrence.toISOString();
    return state
      ? sql.all(NEXT_OCCURRENCE, [versionId, at, matched, claimed, journeyId, nodeId, claimed])
      : sql.all(FIRST_OCCURRENCE, [journeyId, nodeId, versionId, at, matched, claimed]);
  }

  /** Members of runs in progress, by `journeyId\u0000nodeId`: the segment is read once per run. */
  const inProgress = new Map<string, string[]>();

  /** Index of the first id after `cursor` in sorted `ids`. */
  const firstAfter = (ids: string[], cursor: string): number => {
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ids[mid] as string) <= cursor) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** Enrols up to `budget` slices after `cursor`; marks the run finished when none remain. */
  async function continueRun(
    journeyId: string,
    nodeId: string,
    ids: string[],
    start: string,
    budget: number,
    sliceSize: number,
  ): Promise<{ report: AudienceRunReport; slices: number }> {
    let cursor = start;
    let next = cursor === '' ? 0 : firstAfter(ids, cursor);
    let enrolled = 0;
    let slices = 0;
    let lost = false;
    for (; next < ids.length && slices < budget; next += sliceSize, slices++) {
      const slice = ids.slice(next, next + sliceSize);
      const done = await enrollSlice(journeyId, nodeId, cursor, slice);
      if (done === undefined) {
        lost = true; // another engine goes on with this run
        break;
      }
      enrolled += done;
      cursor = slice[slice.length - 1] as string;
    }
    const key = `${journeyId}\u0000${nodeId}`;
    const totals =
      !lost && next >= ids.length
        ? await sql.get<{ matched: number; enrolled: number }>(FINISH_RUN, [journeyId, nodeId, cursor])
        : undefined;
    const finished = totals !== undefined;
    if (finished || lost) inProgress.delete(key);
    const state = totals ?? (await sql.get<RunState>(RUN_STATE, [journeyId, nodeId]));
    const report = {
      journeyId,
      nodeId,
      matched: state?.matched ?? ids.length,
      enrolled,
      runEnrolled: state?.enrolled ?? enrolled,
      finished,
    };
    return { report, slices };
  }

  /**
   * Runs the audience entries due at `now` (and runs left unfinished), at most `sliceBudget`
   * slices of `sliceSize` (2,000) in all: the engine asks for one slice at a time, sized to what
   * the thread can spare (scheduler-loop.ts), and dispatches the effects of each before the next,
   * so a large campaign never holds up timers, events and requests for long.
   */
  return async function runDue(
    now: number,
    sliceBudget = Number.POSITIVE_INFINITY,
    sliceSize = SLICE,
  ): Promise<AudienceRunReport[]> {
    const reports: AudienceRunReport[] = [];
    let budget = sliceBudget;
    for (const journey of await sql.all<{ id: string; liveVersionId: string }>(LIVE_JOURNEYS)) {
      const entries = await audienceNodes(journey.id, journey.liveVersionId);
      for (const { nodeId, trigger } of entries ?? []) {
        if (budget <= 0) return reports;
        const state = await sql.get<RunState>(RUN_STATE, [journey.id, nodeId]);
        const resuming = state?.cursor != null;
        const occurrence =
          !resuming && trigger.calendar
            ? await dueOccurrence(state, trigger.calendar, journey.liveVersionId, now)
            : undefined;
        if (!resuming && (trigger.calendar ? !occurrence : !isDue(state, trigger, now))) continue;
        const filters = await filtersOf(trigger);
        if (typeof filters === 'string') {
          deps.logger.warn({ journeyId: journey.id, nodeId, problem: filters }, 'audience entry skipped');
          continue;
        }
        const key = `${journey.id}\u0000${nodeId}`;
        let ids = resuming ? inProgress.get(key) : undefined;
        if (!ids) {
          ids = await segmentMemberIds(deps.db, filters, now);
          if (trigger.calendar) {
            const inside = new Set(
              (await sql.all<{ customerId: string }>(ACTIVE_CUSTOMERS, [journey.id])).map((r) => r.customerId),
            );
            if (inside.size > 0) ids = ids.filter((id) => !inside.has(id));
          }
          if (resuming) {
            deps.logger.info({ journeyId: journey.id, nodeId, after: state?.cursor }, 'audience run resumed');
          } else {
            const at = isoDate(now);
            const started = occurrence
              ? await claimOccurrence(journey.id, nodeId, journey.liveVersionId, at, ids.length, occurrence, state)
              : state
                ? await sql.all(NEXT_RUN, [journey.liveVersionId, at, ids.length, journey.id, nodeId, state.lastRunAt])
                : await sql.all(FIRST_RUN, [journey.id, nodeId, journey.liveVersionId, at, ids.length]);
            if (started.length === 0) continue; // another engine started this run
          }
          inProgress.set(key, ids);
        }
        const { report, slices } = await continueRun(
          journey.id,
          nodeId,
          ids,
          resuming ? (state?.cursor ?? '') : '',
          budget,
          sliceSize,
        );
        budget -= slices;
        if (report.finished) deps.logger.info(report, 'audience entry ran');
        reports.push(report);
      }
    }
    return reports;
  };
}
