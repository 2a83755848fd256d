import { type ApiErrorDetail, apiErrorDetail, apiErrorText, type JourneyGraph, parseJourneyGraph } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';

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
 * SQL for a DateTime column as epoch ms. Prisma and the engine store DateTime as ISO-8601 text
 * (with `Z` or `+00:00`); julianday reads both, so rows written either way compare correctly.
 */
export const msOf = (column: string) => `CAST(round((julianday(${column}) - 2440587.5) * 86400000) AS INTEGER)`;

const DAY_MS = 86_400_000;
/** 0000-01-01 and 9999-12-31: outside these, toISOString stops giving 4-digit years. */
const ISO_EARLIEST = -62_167_219_200_000;
const ISO_LATEST = 253_402_300_799_999;
const isoPrefix = (ms: number) => new Date(Math.min(Math.max(ms, ISO_EARLIEST), ISO_LATEST)).toISOString().slice(0, 23);

/**
 * SQL true when the DateTime text in `column` lies in [from, to) (epoch ms), with its parameters.
 * Same answer as `msOf(column) >= from AND msOf(column) < to`, without running julianday on every
 * row (it dominated reports over 100k customers): ISO-8601 text sorts like time, give or take the
 * UTC offset (±14 h at most), so a row whose text is more than a day inside both ends is in the
 * period, a row more than a day outside is not (and the outer test can use an index); only rows
 * within a day of either end are converted exactly. Assumes what every writer here stores:
 * `YYYY-MM-DDTHH:MM:SS[.sss]` followed by `Z` or an offset.
 */
export function isoInPeriod(column: string, from: number, to: number): { sql: string; params: (string | number)[] } {
  return {
    sql: `(${column} >= ? AND ${column} < ? AND ((${column} >= ? AND ${column} < ?)
      OR (${msOf(column)} >= ? AND ${msOf(column)} < ?)))`,
    params: [
      isoPrefix(from - DAY_MS),
      isoPrefix(to + DAY_MS),
      isoPrefix(from + DAY_MS),
      isoPrefix(to - DAY_MS),
      from,
      to,
    ],
  };
}

export interface JourneyVersions {
  id: string;
  name: string;
  liveVersionId: string | null;
  draft: string;
  draftRevision: number;
  versions: { id: string; version: number; graph: JourneyGraph }[];
}

/** A journey with all its published graphs (oldest first); NOT_FOUND when there is no such journey. */
export function journeyVersions(sqlite: BetterSqlite3.Database, journeyId: string): JourneyVersions {
  const journey = sqlite
    .prepare('SELECT id, name, liveVersionId, draft, draftRevision FROM Journey WHERE id = ?')
    .get(journeyId) as Omit<JourneyVersions, 'versions'> | undefined;
  if (!journey)
    throw new ReportInputError(apiErrorDetail('common.notFound', { what: 'journey', id: journeyId }), 'NOT_FOUND');
  const rows = sqlite
    .prepare('SELECT id, version, graph FROM JourneyVersion WHERE journeyId = ? ORDER BY version')
    .all(journeyId) as { id: string; version: number; graph: string }[];
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
