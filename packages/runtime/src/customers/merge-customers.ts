import type BetterSqlite3 from 'better-sqlite3';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient, SqlDialect } from '../db/sql-client.ts';
import { execute, query, runOnSqlite, runVia, type SqlProgram } from '../db/sql-program.ts';

/** Why two customers became one (stored on the CustomerMerge row). */
export type MergeReason = 'phone' | 'identities';

export interface MergeOutcome {
  survivorId: string;
  mergedId: string;
  /** Rows moved to the survivor, per table (tags counted as moved even where the survivor had them). */
  moved: Record<string, number>;
  /** Runs that ended with reason "merged" (both customers were active in the same journey). */
  exitedRuns: number[];
}

/** Tables whose customerId needs more than "point it at the survivor". */
const SPECIAL = new Set(['Customer', 'CustomerTag', 'CustomerMerge']);

interface CustomerRow {
  id: string;
  displayName: string | null;
  attributes: string;
  ownerUserId: string | null;
  channelCode: string | null;
  variant: string | null;
  createdAt: string | number;
  erasedAt: string | null;
  rfm: string | null;
}

/** Tables with a customerId column, per dialect: the schema does not change while the runtime runs. */
const tablesOf = new Map<SqlDialect, string[]>();

/** Every table with a customerId column, read from the schema so a table added later moves too. */
function* customerTables(dialect: SqlDialect): SqlProgram<string[]> {
  const known = tablesOf.get(dialect);
  if (known) return known;
  const rows = yield* query<{ name: string }>(
    dialect === 'sqlite'
      ? `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.name = 'customerId' ORDER BY m.name`
      : `SELECT table_name AS name FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name = 'customerId' ORDER BY table_name`,
  );
  const tables = rows.map((r) => r.name).filter((name) => !SPECIAL.has(name));
  tablesOf.set(dialect, tables);
  return tables;
}

/**
 * Makes `mergedId` part of `survivorId`, in one transaction (a savepoint inside a caller's):
 * nothing the merged customer had is lost.
 *
 * - Identities, events, runs, orders, messages, coupons, links, opt-outs, staff tasks — every row
 *   of every table with a customerId — now belong to the survivor.
 * - Tags: the union; where both had a tag the survivor's row (its source and date) is kept.
 * - Attributes: the union; on a conflicting key the SURVIVOR's value wins (it is the older record,
 *   usually the brand's import). The merged customer's own fields are kept in CustomerMerge.merged.
 * - Name, owner, channel (with its variant), RFM: the survivor's, or the merged one's where the
 *   survivor has none; createdAt: the earlier.
 * - Runs: all kept. Where both were active in the same journey, the run that entered first goes
 *   on and the other ends with exitReason "merged" (its timers dropped, pending sends skipped), so
 *   one person never gets a journey's messages twice.
 * - The merged id stays known: CustomerMerge maps it to the survivor (events sent with the old id
 *   still arrive), and earlier merges into it are re-pointed.
 *
 * Throws if either customer is missing or erased, or if they are the same.
 */
export function mergeCustomers(
  db: BetterSqlite3.Database,
  survivorId: string,
  mergedId: string,
  options: { now: number; reason: MergeReason },
): MergeOutcome {
  return db.transaction(() => runOnSqlite(db, mergeProgram('sqlite', survivorId, mergedId, options)))();
}

/** `mergeCustomers` through the SQL port (PostgreSQL), in one transaction (joining `sql`'s if it is one). */
export function mergeCustomersVia(
  sql: SqlClient,
  survivorId: string,
  mergedId: string,
  options: { now: number; reason: MergeReason },
): Promise<MergeOutcome> {
  return sql.transaction((tx) => runVia(tx, mergeProgram(sql.dialect, survivorId, mergedId, options)));
}

/** The merge's statements, for either database (db/sql-program.ts). */
export function* mergeProgram(
  dialect: SqlDialect,
  survivorId: string,
  mergedId: string,
  options: { now: number; reason: MergeReason },
): SqlProgram<MergeOutcome> {
  if (survivorId === mergedId) throw new Error(`cannot merge customer ${survivorId} into itself`);
  const get = (id: string) =>
    query<CustomerRow>(
      'SELECT id, displayName, attributes, ownerUserId, channelCode, variant, createdAt, erasedAt, rfm FROM Customer WHERE id = ?',
      [id],
    );
  const [survivor] = yield* get(survivorId);
  const [merged] = yield* get(mergedId);
  if (!survivor || !merged) throw new Error(`cannot merge: customer ${survivor ? mergedId : survivorId} not found`);
  if (survivor.erasedAt || merged.erasedAt) throw new Error('cannot merge an erased customer');
  const at = isoDate(options.now);

  const exitedRuns = yield* endDoubleRuns(survivorId, mergedId, options.now);

  const moved: Record<string, number> = {};
  for (const table of yield* customerTables(dialect)) {
    const n = yield* execute(`UPDATE "${table}" SET customerId = ? WHERE customerId = ?`, [survivorId, mergedId]);
    if (n > 0) moved[table] = n;
  }
  yield* execute(
    `INSERT INTO CustomerTag (customerId, tag, source, createdAt)
         SELECT ?, tag, source, createdAt FROM CustomerTag WHERE customerId = ? ON CONFLICT DO NOTHING`,
    [survivorId, mergedId],
  );
  const tagRows = yield* execute('DELETE FROM CustomerTag WHERE customerId = ?', [mergedId]);
  if (tagRows > 0) moved.CustomerTag = tagRows;

  const attributes = {
    ...(JSON.parse(merged.attributes) as Record<string, unknown>),
    ...(JSON.parse(survivor.attributes) as Record<string, unknown>),
  };
  const keepsChannel = survivor.channelCode !== null;
  yield* execute(
    `UPDATE Customer SET displayName = ?, attributes = ?, ownerUserId = ?, channelCode = ?, variant = ?,
         rfm = ?, createdAt = ?, updatedAt = ? WHERE id = ?`,
    [
      survivor.displayName?.trim() ? survivor.displayName : merged.displayName,
      JSON.stringify(attributes),
      survivor.ownerUserId ?? merged.ownerUserId,
      keepsChannel ? survivor.channelCode : merged.channelCode,
      keepsChannel ? survivor.variant : merged.variant,
      survivor.rfm ?? merged.rfm,
      msOf(merged.createdAt) < msOf(survivor.createdAt) ? merged.createdAt : survivor.createdAt,
      at,
      survivorId,
    ],
  );

  yield* execute('UPDATE CustomerMerge SET customerId = ? WHERE customerId = ?', [survivorId, mergedId]);
  yield* execute('INSERT INTO CustomerMerge (mergedId, customerId, reason, merged, mergedAt) VALUES (?, ?, ?, ?, ?)', [
    mergedId,
    survivorId,
    options.reason,
    JSON.stringify(merged),
    at,
  ]);
  // Identities, runs and orders were moved above; the foreign keys refuse this if anything is left.
  yield* execute('DELETE FROM Customer WHERE id = ?', [mergedId]);
  return { survivorId, mergedId, moved, exitedRuns };
}

/** Customer.createdAt as written by Prisma (ISO text) or by hand (epoch ms). */
function msOf(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

/**
 * Where both customers have active runs of one journey, keeps the side whose run entered first
 * (ties: the lower id) and ends the other side's runs with reason "merged", logged like any exit
 * so counts and funnels stay true.
 */
function* endDoubleRuns(survivorId: string, mergedId: string, now: number): SqlProgram<number[]> {
  const active = yield* query<{
    id: number;
    customerId: string;
    journeyId: string;
    versionId: string;
    nodeId: string | null;
    enteredAt: string;
  }>(
    `SELECT id, customerId, journeyId, versionId, nodeId, enteredAt FROM Instance
     WHERE customerId IN (?, ?) AND status = 'active' ORDER BY id`,
    [survivorId, mergedId],
  );
  type Run = (typeof active)[number];
  const first = (a: Run, b: Run) => msOf(a.enteredAt) - msOf(b.enteredAt) || a.id - b.id;
  const byJourney = new Map<string, Run[]>();
  for (const run of active) byJourney.set(run.journeyId, [...(byJourney.get(run.journeyId) ?? []), run]);
  const losing: Run[] = [];
  for (const runs of byJourney.values()) {
    if (new Set(runs.map((r) => r.customerId)).size < 2) continue;
    const keeper = [...runs].sort(first)[0] as Run;
    losing.push(...runs.filter((r) => r.customerId !== keeper.customerId));
  }
  const at = isoDate(now);
  for (const run of losing) {
    yield* execute(
      "UPDATE Instance SET status = 'exited', exitReason = 'merged', waitingFor = NULL, endedAt = ?, updatedAt = ? WHERE id = ?",
      [at, at, run.id],
    );
    yield* execute('DELETE FROM Timer WHERE instanceId = ?', [run.id]);
    yield* execute(
      "UPDATE OutboxEffect SET status = 'skipped', lastError = 'customer merged into another' WHERE instanceId = ? AND status = 'pending'",
      [run.id],
    );
    yield* execute(
      `INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId, port, detail)
       VALUES (?, ?, ?, ?, 'exit', ?, NULL, NULL, '{"reason":"merged"}')`,
      [run.id, run.journeyId, run.versionId, now, run.nodeId],
    );
  }
  return losing.map((r) => r.id);
}
