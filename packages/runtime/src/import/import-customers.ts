import { randomUUID } from 'node:crypto';
import { apiErrorDetail } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient } from '../db/sql-client.ts';
import { type ColumnMapping, columnMapOf, planColumns } from './column-mapping.ts';
import { looksGarbled } from './decode.ts';
import { ImportFileError } from './import-error.ts';
import { readTableCached } from './read-table-cached.ts';
import { removeImportWrites } from './undo-import.ts';
import { type RowProblem, type ValidRow, validateRows } from './validate-rows.ts';
import { writeChunks } from './write-chunks.ts';

export type { RowProblem } from './validate-rows.ts';

export interface ImportOptions {
  fileName: string;
  /** strict: any rejected row rejects the whole file; skipInvalid: import the valid rows. */
  mode: 'strict' | 'skipInvalid';
  /** Header → field where the guess is wrong or absent (column-mapping.ts); the rest are guessed. */
  mapping?: ColumnMapping;
  /** XLSX: the worksheet to import (default the first). */
  sheet?: string;
  /** Tags added to every imported customer, e.g. "导入:双11". */
  tags?: string[];
  createdBy?: string;
  onProgress?: (done: number, total: number) => void;
  /** The server's clock (simulated in tests and playbooks), for createdAt; default the system clock. */
  now?: () => number;
}

export interface ImportReport {
  batchId: string;
  status: 'running' | 'committed' | 'rejected' | 'failed';
  encoding?: string;
  format: 'csv' | 'xlsx';
  totalRows: number;
  created: number;
  /** Rows that matched an existing customer by phone/id: tags and attributes merged. */
  updated: number;
  /** New orders written from a shop order export (an order id already stored is not re-counted). */
  orders: number;
  /** Rows repeating an earlier row of the same file (by phone or external id); skipped. */
  duplicates: number;
  rejected: number;
  /** Every rejected or duplicate row with its reason. */
  problems: RowProblem[];
  error?: string;
}

/** Problems stored on the batch (the history's error report); the report returned has them all. */
const STORED_PROBLEMS = 5000;

/** A file read and checked: either a report already (nothing to write) or the rows to write. */
interface PreparedImport {
  report: ImportReport;
  rows: ValidRow[];
}

/** Reads and validates the file; nothing is written. Throws ImportFileError for a file that cannot be read. */
async function prepareImport(bytes: Uint8Array, options: ImportOptions): Promise<PreparedImport> {
  const batchId = `imp_${randomUUID()}`;
  const table = await readTableCached(bytes, { sheet: options.sheet });
  const header = table.rows[0] ?? [];
  const columns = columnMapOf(planColumns(header, options.mapping));
  const base = { batchId, encoding: table.encoding, format: table.format, created: 0, updated: 0, orders: 0 };
  if (
    columns.known.phone === undefined &&
    columns.known.externalId === undefined &&
    columns.known.wecomExternalUserId === undefined
  ) {
    if (looksGarbled(header.join(','))) {
      // Not the operator's header but bytes read in the wrong encoding: say so, not "no phone column".
      throw new ImportFileError(
        'ENCODING',
        apiErrorDetail('import.encoding', { readAs: table.encoding ?? table.format }),
      );
    }
    const dataRows = Math.max(0, table.rows.length - 1);
    const problem: RowProblem = {
      row: 1,
      code: 'noIdentityColumn',
      reason:
        '表头中没有手机号或客户编号列：请指定哪一列是手机号 header has no phone or external id column: say which column holds the phone (mapping)',
    };
    return {
      rows: [],
      report: {
        ...base,
        status: 'rejected',
        totalRows: dataRows,
        duplicates: 0,
        rejected: dataRows,
        problems: [problem],
      },
    };
  }
  const { valid, problems, duplicates, rejected } = validateRows(table.rows, columns, options.tags ?? []);
  const totalRows = valid.length + duplicates + rejected;
  const strictlyRejected = options.mode === 'strict' && rejected > 0;
  return {
    rows: strictlyRejected ? [] : valid,
    report: { ...base, status: strictlyRejected ? 'rejected' : 'running', totalRows, duplicates, rejected, problems },
  };
}

/** Writes the prepared rows and finishes the batch; a failure undoes what the earlier chunks wrote. */
async function runImport(sql: SqlClient, prepared: PreparedImport, options: ImportOptions): Promise<ImportReport> {
  const report = { ...prepared.report };
  const clock = options.now ?? Date.now;
  try {
    Object.assign(report, await writeChunks(sql, report.batchId, prepared.rows, isoDate(clock()), options.onProgress));
    report.status = 'committed';
  } catch (e) {
    report.status = 'failed';
    report.error = e instanceof Error ? e.message : String(e);
    report.created = 0;
    report.updated = 0;
    report.orders = 0;
    // All or nothing: the chunks committed before the failing one are taken back.
    await removeImportWrites(sql, report.batchId).catch(() => undefined);
  }
  await sql.run(
    `UPDATE ImportBatch SET status = ?, created = ?, updated = ?, processedRows = ?, finishedAt = ?, error = ?
     WHERE id = ?`,
    [
      report.status,
      report.created,
      report.updated,
      report.status === 'committed' ? prepared.rows.length : 0,
      isoDate(clock()),
      report.error ?? null,
      report.batchId,
    ],
  );
  return report;
}

async function insertBatch(sql: SqlClient, options: ImportOptions, report: ImportReport): Promise<void> {
  const at = isoDate((options.now ?? Date.now)());
  await sql.run(
    `INSERT INTO ImportBatch (id, fileName, status, totalRows, processedRows, created, updated, duplicates, rejected,
       errors, createdBy, createdAt, finishedAt, mapping)
     VALUES (?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?, ?, ?)`,
    [
      report.batchId,
      options.fileName,
      report.status,
      report.totalRows,
      report.duplicates,
      report.rejected,
      JSON.stringify(report.problems.slice(0, STORED_PROBLEMS)),
      options.createdBy ?? null,
      at,
      report.status === 'running' ? null : at,
      JSON.stringify(options.mapping ?? {}),
    ],
  );
}

/**
 * Imports customers from a CSV/XLSX and waits for the end: either every accepted row is written or
 * nothing is. Rows are matched to existing customers by phone, external id or WeCom id (merged,
 * not duplicated). The batch and its report are recorded. For the CLI and API scripts.
 */
export async function importCustomers(
  db: Pick<AppDatabase, 'sql'>,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<ImportReport> {
  const prepared = await prepareImport(bytes, options);
  await insertBatch(db.sql, options, prepared.report);
  if (prepared.report.status !== 'running') return prepared.report;
  return runImport(db.sql, prepared, options);
}

/**
 * Starts an import as a job: the file is read and checked now (a file that cannot be read fails
 * here), the batch recorded as running, and the rows written in the background of this process,
 * chunk by chunk; ImportBatch.processedRows tells the progress. `done` settles with the report.
 */
export async function startImport(
  db: Pick<AppDatabase, 'sql'>,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<{ report: ImportReport; done: Promise<ImportReport> }> {
  const prepared = await prepareImport(bytes, options);
  await insertBatch(db.sql, options, prepared.report);
  const done =
    prepared.report.status === 'running' ? runImport(db.sql, prepared, options) : Promise.resolve(prepared.report);
  // A failure is recorded on the batch; nobody awaits a job started from a request.
  done.catch(() => undefined);
  return { report: prepared.report, done };
}
