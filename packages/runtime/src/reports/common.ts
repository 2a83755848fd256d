import { type ApiErrorDetail, apiErrorDetail, apiErrorText, type JourneyGraph, parseJourneyGraph } from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';
import { epochMsOf } from '../db/sql-dialect.ts';

/** A report asked about something that is not there, or asked wrongly; the router answers 4xx. */
export class ReportInputError extends Error {
  /** Its words for the operator (API_ERROR_MESSAGES), when it has a code; the message is their English. */
  readonly detail?: ApiErrorDetail;
  constructor(
    message: string | ApiErrorDetail,
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'PRECONDITION_FAILED' = 'BAD_REQUEST',
  ) {
    super(typeof message === 'string' ? message : (apiErrorText(message)?.en ?? message.key));
    if (typeof message !== 'string') this.detail = message;
    this.name = 'ReportInputError';
  }
}

/**
 * SQL for a DateTime column as epoch ms, on SQLite only (the sandbox router's queries). Reports
 * use `epochMsOf` (db/sql-dialect.ts), which also speaks PostgreSQL.
 */
export const msOf = (column: string) => epochMsOf('sqlite', column);

export interface JourneyVersions {
  id: string;
  name: string;
  liveVersionId: string | null;
  draft: string;
  draftRevision: number;
  versions: { id: string; version: number; graph: JourneyGraph }[];
}

/** A journey with all its published graphs (oldest first); NOT_FOUND when there is no such journey. */
export async function journeyVersions(sql: SqlClient, journeyId: string): Promise<JourneyVersions> {
  const journey = await sql.get<Omit<JourneyVersions, 'versions'>>(
    'SELECT id, name, liveVersionId, draft, draftRevision FROM Journey WHERE id = ?',
    [journeyId],
  );
  if (!journey)
    throw new ReportInputError(apiErrorDetail('common.notFound', { what: 'journey', id: journeyId }), 'NOT_FOUND');
  const rows = await sql.all<{ id: string; version: number; graph: string }>(
    'SELECT id, version, graph FROM JourneyVersion WHERE journeyId = ? ORDER BY version',
    [journeyId],
  );
  return {
    ...journey,
    versions: rows.map((r) => ({ id: r.id, version: r.version, graph: parseJourneyGraph(JSON.parse(r.graph)) })),
  };
}

/** The graph a report lays its rows out by: the named version, else the live one, else the newest. */
export function reportGraph(
  journey: JourneyVersions,
  versionId?: string,
): { id: string; version: number; graph: JourneyGraph } | undefined {
  if (versionId) {
    const v = journey.versions.find((x) => x.id === versionId);
    if (!v) {
      throw new ReportInputError(apiErrorDetail('common.notFound', { what: 'version', id: versionId }), 'NOT_FOUND');
    }
    return v;
  }
  return journey.versions.find((v) => v.id === journey.liveVersionId) ?? journey.versions.at(-1);
}
