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
  enrolled: number;
}

/** Enrolments per transaction: large segments are enrolled in slices inside one outer transaction. */
const SLICE = 2000;

/**
 * Audience entry nodes: a "once" entry enrols its segment the first time the journey is live (a
 * later re-publish does not re-send a campaign); a repeating entry enrols it again every `everyMs`
 * (the journey's re-entry policy decides who may start again). The run and its AudienceRun row are
 * one transaction, so a crash mid-run re-runs it in full and nobody is enrolled twice by it.
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
  const lastRun = sqlite.prepare<[string, string], { lastRunAt: string }>(
    'SELECT lastRunAt FROM AudienceRun WHERE journeyId = ? AND nodeId = ?',
  );
  const saveRun = sqlite.prepare(
    `INSERT INTO AudienceRun (journeyId, nodeId, versionId, lastRunAt, matched, enrolled) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (journeyId, nodeId) DO UPDATE SET versionId = excluded.versionId, lastRunAt = excluded.lastRunAt,
       matched = excluded.matched, enrolled = excluded.enrolled`,
  );
  const segmentFilter = sqlite.prepare<[string], { filter: string }>('SELECT filter FROM Segment WHERE id = ?');

  function isDue(journeyId: string, nodeId: string, trigger: AudienceTrigger, now: number): boolean {
    const row = lastRun.get(journeyId, nodeId);
    if (!row) return true;
    return trigger.everyMs !== undefined && now - Date.parse(row.lastRunAt) >= trigger.everyMs;
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

  const runOne = sqlite.transaction(
    (journeyId: string, versionId: string, nodeId: string, filters: Filter[], now: number): AudienceRunReport => {
      const ids: string[] = [];
      forEachSegmentMember({ sqlite }, filters, now, (id) => ids.push(id));
      let enrolled = 0;
      for (let i = 0; i < ids.length; i += SLICE) {
        for (const outcome of deps.enroll(journeyId, ids.slice(i, i + SLICE), nodeId)) {
          if (outcome.status === 'enrolled') enrolled++;
        }
      }
      saveRun.run(journeyId, nodeId, versionId, isoDate(now), ids.length, enrolled);
      return { journeyId, nodeId, matched: ids.length, enrolled };
    },
  );

  /** Runs every audience entry that is due at `now`. */
  return function runDue(now: number): AudienceRunReport[] {
    const reports: AudienceRunReport[] = [];
    for (const journey of liveJourneys.all()) {
      const compiled = deps.compiled(journey.liveVersionId);
      for (const nodeId of compiled.entryNodeIds) {
        const node = compiled.nodes.get(nodeId);
        const trigger = node?.definition.entry?.trigger(node.config);
        if (trigger?.kind !== 'audience' || !isDue(journey.id, nodeId, trigger, now)) continue;
        const filters = filtersOf(trigger);
        if (typeof filters === 'string') {
          deps.logger.warn({ journeyId: journey.id, nodeId, problem: filters }, 'audience entry skipped');
          continue;
        }
        const report = runOne(journey.id, journey.liveVersionId, nodeId, filters, now);
        deps.logger.info(report, 'audience entry ran');
        reports.push(report);
      }
    }
    return reports;
  };
}
