import { type EntryTrigger, type Filter, FilterSchema } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { forEachSegmentMember } from '../audiences/segments.ts';
import type { Logger } from '../logger.ts';
import type { EnrollOutcome } from './api.ts';
import type { CompiledJourney } from './compiler.ts';
import { isoDate } from '../db/iso-date.ts';

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

/**
 * Audience entry nodes: a "once" entry enrols its segment the first time the journey is live (a
 * later re-publish does not re-send a campaign); a repeating entry enrols it again every `everyMs`
 * (the journey's re-entry policy decides who may start again). A run enrols its members in id
 * order, one slice per transaction, and its AudienceRun row keeps the last id enrolled: after a
 * crash the run resumes after that id, so nobody is enrolled twice by it and nobody is skipped.
 */
export function audienceEntries(deps: {
  sqlite: BetterSqlite3.Database;
  /** Undefined when the journey cannot run now (held, see isolation.ts): it is skipped. */
  compiled: (versionId: string, journeyId: string) => CompiledJourney | undefined;
  enroll: (journeyId: string, customerIds: readonly string[], entryNodeId: string) => EnrollOutcome[];
  logger: Logger;
}) {
  const { sqlite } = deps;
  const liveJourneys = sqlite.prepare<[], { id: string; liveVersionId: string }>(
    `SELECT id, liveVersionId FROM Journey WHERE status = 'live' AND liveVersionId IS NOT NULL`,
  );
  const runState = sqlite.prepare<
    [string, string],
    { lastRunAt: string; cursor: string | null; matched: number; enrolled: number }
  >('SELECT lastRunAt, cursor, matched, enrolled FROM AudienceRun WHERE journeyId = ? AND nodeId = ?');
  const startRun = sqlite.prepare(
    `INSERT INTO AudienceRun (journeyId, nodeId, versionId, lastRunAt, matched, enrolled, cursor) VALUES (?, ?, ?, ?, ?, 0, '')
     ON CONFLICT (journeyId, nodeId) DO UPDATE SET versionId = excluded.versionId, lastRunAt = excluded.lastRunAt,
       matched = excluded.matched, enrolled = 0, cursor = ''`,
  );
  const advanceRun = sqlite.prepare(
    'UPDATE AudienceRun SET enrolled = enrolled + ?, cursor = ? WHERE journeyId = ? AND nodeId = ?',
  );
  const finishRun = sqlite.prepare(
    'UPDATE AudienceRun SET cursor = NULL WHERE journeyId = ? AND nodeId = ? RETURNING matched, enrolled',
  );
  const segmentFilter = sqlite.prepare<[string], { filter: string }>('SELECT filter FROM Segment WHERE id = ?');

  function isDue(state: { lastRunAt: string } | undefined, trigger: AudienceTrigger, now: number): boolean {
    if (!state) return true;
    return trigger.everyMs !== undefined && now - Date.parse(state.lastRunAt) >= trigger.everyMs;
  }

  function filtersOf(trigger: AudienceTrigger): Filter[] | string {
    const filters: Filter[] = [trigger.filter];
    if (trigger.segmentId) {
      const row = segmentFilter.get(trigger.segmentId);
      if (!row) return `segment ${trigger.segmentId} does not exist`;
      filters.push(FilterSchema.parse(JSON.parse(row.filter)));
    }
    return filters;
  }

  const members = (filters: Filter[], now: number): string[] => {
    const ids: string[] = [];
    forEachSegmentMember({ sqlite }, filters, now, (id) => ids.push(id));
    return ids.sort();
  };

  const enrollSlice = sqlite.transaction((journeyId: string, nodeId: string, slice: string[]): number => {
    let enrolled = 0;
    for (const outcome of deps.enroll(journeyId, slice, nodeId)) if (outcome.status === 'enrolled') enrolled++;
    advanceRun.run(enrolled, slice[slice.length - 1], journeyId, nodeId);
    return enrolled;
  });

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
  function continueRun(
    journeyId: string,
    nodeId: string,
    ids: string[],
    cursor: string,
    budget: number,
    sliceSize: number,
  ): { report: AudienceRunReport; slices: number } {
    let next = cursor === '' ? 0 : firstAfter(ids, cursor);
    let enrolled = 0;
    let slices = 0;
    for (; next < ids.length && slices < budget; next += sliceSize, slices++) {
      enrolled += enrollSlice(journeyId, nodeId, ids.slice(next, next + sliceSize));
    }
    const finished = next >= ids.length;
    const key = `${journeyId}\u0000${nodeId}`;
    if (finished) inProgress.delete(key);
    const totals = (finished ? finishRun.get(journeyId, nodeId) : runState.get(journeyId, nodeId)) as {
      matched: number;
      enrolled: number;
    };
    const report = { journeyId, nodeId, matched: totals.matched, enrolled, runEnrolled: totals.enrolled, finished };
    return { report, slices };
  }

  /**
   * Runs the audience entries due at `now` (and runs left unfinished), at most `sliceBudget`
   * slices of `sliceSize` (2,000) in all: the engine asks for one slice at a time, sized to what
   * the thread can spare (scheduler-loop.ts), and dispatches the effects of each before the next,
   * so a large campaign never holds up timers, events and requests for long.
   */
  return function runDue(now: number, sliceBudget = Number.POSITIVE_INFINITY, sliceSize = SLICE): AudienceRunReport[] {
    const reports: AudienceRunReport[] = [];
    let budget = sliceBudget;
    for (const journey of liveJourneys.all()) {
      const compiled = deps.compiled(journey.liveVersionId, journey.id);
      if (!compiled) continue;
      for (const nodeId of compiled.entryNodeIds) {
        if (budget <= 0) return reports;
        const node = compiled.nodes.get(nodeId);
        const trigger = node?.definition.entry?.trigger(node.config);
        if (trigger?.kind !== 'audience') continue;
        const state = runState.get(journey.id, nodeId);
        const resuming = state?.cursor != null;
        if (!resuming && !isDue(state, trigger, now)) continue;
        const filters = filtersOf(trigger);
        if (typeof filters === 'string') {
          deps.logger.warn({ journeyId: journey.id, nodeId, problem: filters }, 'audience entry skipped');
          continue;
        }
        const key = `${journey.id}\u0000${nodeId}`;
        let ids = resuming ? inProgress.get(key) : undefined;
        if (!ids) {
          ids = members(filters, now);
          inProgress.set(key, ids);
          if (resuming)
            deps.logger.info({ journeyId: journey.id, nodeId, after: state?.cursor }, 'audience run resumed');
          else startRun.run(journey.id, nodeId, journey.liveVersionId, isoDate(now), ids.length);
        }
        const { report, slices } = continueRun(
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
