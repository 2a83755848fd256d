import type BetterSqlite3 from 'better-sqlite3';
import { isoDate } from '../db/iso-date.ts';

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

const tablesOf = new WeakMap<BetterSqlite3.Database, string[]>();

/**
 * Every table with a customerId column, read from the schema so a table added later moves too.
 * Read once per connection: the schema does not change while the runtime runs.
 */
function customerTables(db: BetterSqlite3.Database): string[] {
  const known = tablesOf.get(db);
  if (known) return known;
  const tables = (
    db
      .prepare(
        `SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.name = 'customerId' ORDER BY m.name`,
      )
      .all() as { name: string }[]
  )
    .map((r) => r.name)
    .filter((name) => !SPECIAL.has(name));
  tablesOf.set(db, tables);
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
  if (survivorId === mergedId) throw new Error(`cannot merge customer ${survivorId} into itself`);
  return db.transaction((): MergeOutcome => {
    const get = db.prepare<[string], CustomerRow>(
      'SELECT id, displayName, attributes, ownerUserId, channelCode, variant, createdAt, erasedAt, rfm FROM Customer WHERE id = ?',
    );
    const survivor = get.get(survivorId);
    const merged = get.get(mergedId);
    if (!survivor || !merged) throw new Error(`cannot merge: customer ${survivor ? mergedId : survivorId} not found`);
    if (survivor.erasedAt || merged.erasedAt) throw new Error('cannot merge an erased customer');
    const at = isoDate(options.now);

    const exitedRuns = endDoubleRuns(db, survivorId, mergedId, options.now);

    const moved: Record<string, number> = {};
    for (const table of customerTables(db)) {
      const n = db
        .prepare(`UPDATE "${table}" SET customerId = ? WHERE customerId = ?`)
        .run(survivorId, mergedId).changes;
      if (n > 0) moved[table] = n;
    }
    db.prepare(
      `INSERT OR IGNORE INTO CustomerTag (customerId, tag, source, createdAt)
         SELECT ?, tag, source, createdAt FROM CustomerTag WHERE customerId = ?`,
    ).run(survivorId, mergedId);
    const tagRows = db.prepare('DELETE FROM CustomerTag WHERE customerId = ?').run(mergedId).changes;
    if (tagRows > 0) moved.CustomerTag = tagRows;

    const attributes = {
      ...(JSON.parse(merged.attributes) as Record<string, unknown>),
      ...(JSON.parse(survivor.attributes) as Record<string, unknown>),
    };
    const keepsChannel = survivor.channelCode !== null;
    db.prepare(
      `UPDATE Customer SET displayName = ?, attributes = ?, ownerUserId = ?, channelCode = ?, variant = ?,
         rfm = ?, createdAt = ?, updatedAt = ? WHERE id = ?`,
    ).run(
      survivor.displayName?.trim() ? survivor.displayName : merged.displayName,
      JSON.stringify(attributes),
      survivor.ownerUserId ?? merged.ownerUserId,
      keepsChannel ? survivor.channelCode : merged.channelCode,
      keepsChannel ? survivor.variant : merged.variant,
      survivor.rfm ?? merged.rfm,
      msOf(merged.createdAt) < msOf(survivor.createdAt) ? merged.createdAt : survivor.createdAt,
      at,
      survivorId,
    );

    db.prepare('UPDATE CustomerMerge SET customerId = ? WHERE customerId = ?').run(survivorId, mergedId);
    db.prepare('INSERT INTO CustomerMerge (mergedId, customerId, reason, merged, mergedAt) VALUES (?, ?, ?, ?, ?)').run(
      mergedId,
      survivorId,
      options.reason,
      JSON.stringify(merged),
      at,
    );
    // Identities, runs and orders were moved above; the foreign keys refuse this if anything is left.
    db.prepare('DELETE FROM Customer WHERE id = ?').run(mergedId);
    return { survivorId, mergedId, moved, exitedRuns };
  })();
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
function endDoubleRuns(db: BetterSqlite3.Database, survivorId: string, mergedId: string, now: number): number[] {
  const active = db
    .prepare<
      [string, string],
      { id: number; customerId: string; journeyId: string; versionId: string; nodeId: string | null; enteredAt: string }
    >(
      `SELECT id, customerId, journeyId, versionId, nodeId, enteredAt FROM Instance
       WHERE customerId IN (?, ?) AND status = 'active' ORDER BY id`,
    )
    .all(survivorId, mergedId);
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
  const end = db.prepare(
    "UPDATE Instance SET status = 'exited', exitReason = 'merged', waitingFor = NULL, endedAt = ?, updatedAt = ? WHERE id = ?",
  );
  const dropTimers = db.prepare('DELETE FROM Timer WHERE instanceId = ?');
  const skipEffects = db.prepare(
    "UPDATE OutboxEffect SET status = 'skipped', lastError = 'customer merged into another' WHERE instanceId = ? AND status = 'pending'",
  );
  const log = db.prepare(
    `INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId, port, detail)
     VALUES (?, ?, ?, ?, 'exit', ?, NULL, NULL, '{"reason":"merged"}')`,
  );
  for (const run of losing) {
    end.run(at, at, run.id);
    dropTimers.run(run.id);
    skipEffects.run(run.id);
    log.run(run.id, run.journeyId, run.versionId, now, run.nodeId);
  }
  return losing.map((r) => r.id);
}
