import { type EntryTrigger, type Filter, FilterSchema } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import { forEachSegmentMember } from '../server/segments.ts';
import type { EnrollOutcome } from './api.ts';
import type { CompiledJourney } from './compiler.ts';
import { isoDate } from './statements.ts';

type AudienceTrigger = Extract<EntryTrigger, { kind: 'audience' }>;

export interface AudienceRunReport {
  journeyId: string;
  nodeId: string;
  matched: number;
  /** Enrolled by this call. */
  enrolled: number;
  /** Enrolled by the whole run (more than `enrolled` when it resumed after a restart). */
  runEnrolled: number;
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
  compiled: (versionId: string) => CompiledJourney;
  enroll: (journeyId: string, customerIds: readonly string[], entryNodeId: string) => EnrollOutcome[];
  logger: Logger;
}) {
  const { sqlite } = deps;
  const liveJourneys = sqlite.prepare<[], { id: string; liveVersionId: string }>(
    `SELECT id, liveVersionId FROM Journey WHERE status = 'live' AND liveVersionId IS NOT NULL`,
  );
  const runState = sqlite.prepare<[string, string], { lastRunAt: string; cursor: string | null; matched: number }>(
    'SELECT lastRunAt, cursor, matched FROM AudienceRun WHERE journeyId = ? AND nodeId = ?',
  );
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

  /** Enrols the members after `cursor` slice by slice, then marks the run finished. */
  function runFrom(journeyId: string, nodeId: string, ids: string[], cursor: string): AudienceRunReport {
    const rest = cursor === '' ? ids : ids.filter((id) => id > cursor);
    let enrolled = 0;
    for (let i = 0; i < rest.length; i += SLICE) enrolled += enrollSlice(journeyId, nodeId, rest.slice(i, i + SLICE));
    const totals = finishRun.get(journeyId, nodeId) as { matched: number; enrolled: number };
    return { journeyId, nodeId, matched: totals.matched, enrolled, runEnrolled: totals.enrolled };
  }

  /** Runs every audience entry that is due at `now`. */
  return function runDue(now: number): AudienceRunReport[] {
    const reports: AudienceRunReport[] = [];
    for (const journey of liveJourneys.all()) {
      const compiled = deps.compiled(journey.liveVersionId);
      for (const nodeId of compiled.entryNodeIds) {
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
        const ids = members(filters, now);
        if (resuming) deps.logger.info({ journeyId: journey.id, nodeId, after: state?.cursor }, 'audience run resumed');
        else startRun.run(journey.id, nodeId, journey.liveVersionId, isoDate(now), ids.length);
        const report = runFrom(journey.id, nodeId, ids, state?.cursor ?? '');
        deps.logger.info(report, 'audience entry ran');
        reports.push(report);
      }
    }
    return reports;
  };
}
