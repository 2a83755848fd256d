import { randomUUID } from 'node:crypto';
import { apiErrorDetail, normalizePhone } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient } from '../db/sql-client.ts';
import { type ColumnMap, mapColumns, splitTags } from './columns.ts';
import { looksGarbled } from './decode.ts';
import { ImportFileError } from './import-error.ts';
import { parseAmountCents, parseOrderTime } from './order-columns.ts';
import { readTable, type Table } from './read-table.ts';

export interface ImportOptions {
  fileName: string;
  /** strict: any rejected row rejects the whole file; skipInvalid: import the valid rows. */
  mode: 'strict' | 'skipInvalid';
  /** Tags added to every imported customer, e.g. "导入:双11". */
  tags?: string[];
  createdBy?: string;
  onProgress?: (done: number, total: number) => void;
  /** The server's clock (simulated in tests and playbooks), for createdAt; default the system clock. */
  now?: () => number;
}

export interface RowProblem {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  reason: string;
}

export interface ImportReport {
  batchId: string;
  status: 'committed' | 'rejected' | 'failed';
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

interface ValidRow {
  row: number;
  phone: string | null;
  externalId: string | null;
  wecomId: string | null;
  name: string | null;
  tags: string[];
  attributes: Record<string, string>;
  /** The row's order, when the file is a shop order export. */
  order: { id: string; amountCents: number; placedAt: Date } | null;
}

/** The row's order (order exports only), or the reason it cannot be read. */
function orderOf(
  cell: (index: number | undefined) => string,
  columns: ColumnMap,
  row: number,
): ValidRow['order'] | string {
  const { orderId, amount, orderedAt } = columns.orders;
  if (orderId === undefined) return null;
  const id = cell(orderId).trim();
  if (!id) return `第 ${row} 行缺少订单号 missing order id`;
  const amountCents = amount === undefined ? 0 : parseAmountCents(cell(amount));
  if (amountCents === undefined) return `金额无效 invalid amount "${cell(amount)}"`;
  const placedAt = orderedAt === undefined ? undefined : parseOrderTime(cell(orderedAt));
  if (!placedAt)
    return `下单时间无效 invalid order time "${orderedAt === undefined ? '' : cell(orderedAt)}" (e.g. 2026-11-11 10:23:45)`;
  return { id: id.slice(0, 100), amountCents, placedAt };
}

function validateRows(table: Table, columns: ColumnMap, extraTags: string[]) {
  const valid: ValidRow[] = [];
  const problems: RowProblem[] = [];
  let duplicates = 0;
  let rejected = 0;
  const seen = new Map<string, number>();
  const seenOrders = new Map<string, number>();
  const { known } = columns;
  for (let i = 1; i < table.rows.length; i++) {
    const cells = table.rows[i] as string[];
    const row = i + 1;
    if (cells.every((c) => c === '')) continue; // blank lines are not rows
    const cell = (index: number | undefined) => (index === undefined ? '' : (cells[index] ?? ''));
    const rawPhone = cell(known.phone);
    const normalized = rawPhone ? normalizePhone(rawPhone) : null;
    const phone = normalized?.ok ? normalized.e164 : null;
    const externalId = cell(known.externalId) || null;
    const wecomId = cell(known.wecomExternalUserId) || null;
    if (normalized && !normalized.ok) {
      rejected++;
      problems.push({ row, reason: `手机号无效 invalid phone number "${rawPhone}": ${normalized.reason}` });
      continue;
    }
    if (!phone && !externalId && !wecomId) {
      rejected++;
      problems.push({ row, reason: '缺少手机号或客户编号 missing phone and external id' });
      continue;
    }
    const name = cell(known.name);
    if (name.length > 100) {
      rejected++;
      problems.push({ row, reason: '姓名超过 100 字 name longer than 100 characters' });
      continue;
    }
    const order = orderOf(cell, columns, row);
    if (typeof order === 'string') {
      rejected++;
      problems.push({ row, reason: order });
      continue;
    }
    if (order && seenOrders.has(order.id)) {
      duplicates++;
      problems.push({
        row,
        reason: `订单号与第 ${seenOrders.get(order.id)} 行重复 order id duplicates row ${seenOrders.get(order.id)}`,
      });
      continue;
    }
    if (order) seenOrders.set(order.id, row);
    const keys = [phone && `p:${phone}`, externalId && `x:${externalId}`, wecomId && `w:${wecomId}`].filter(
      Boolean,
    ) as string[];
    const firstRow = keys.map((k) => seen.get(k)).find((r) => r !== undefined);
    // In an order export one customer has a row per order: a repeat is another order, not a duplicate.
    if (firstRow !== undefined && !order) {
      duplicates++;
      problems.push({ row, reason: `与第 ${firstRow} 行重复 duplicate of row ${firstRow}` });
      continue;
    }
    for (const k of keys) seen.set(k, row);
    const attributes: Record<string, string> = {};
    for (const { index, key } of columns.attributes) {
      const value = cells[index] ?? '';
      if (value !== '') attributes[key] = value;
    }
    const tags = [...new Set([...splitTags(cell(known.tags)), ...extraTags])];
    valid.push({ row, phone, externalId, wecomId, name: name || null, tags, attributes, order });
  }
  return { valid, problems, duplicates, rejected };
}

/**
 * Imports customers from a CSV/XLSX in ONE transaction: either
 * every accepted row is written or nothing is. Rows are matched to existing customers by phone,
 * external id or WeCom id (merged, not duplicated). The batch and its report are recorded.
 */
export async function importCustomers(
  db: Pick<AppDatabase, 'sql'>,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<ImportReport> {
  const batchId = `imp_${randomUUID()}`;
  const table = await readTable(bytes);
  const header = table.rows[0] ?? [];
  const columns = mapColumns(header);
  const base = { batchId, encoding: table.encoding, format: table.format };
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
    const report: ImportReport = {
      ...base,
      status: 'rejected',
      totalRows: Math.max(0, table.rows.length - 1),
      created: 0,
      updated: 0,
      orders: 0,
      duplicates: 0,
      rejected: Math.max(0, table.rows.length - 1),
      problems: [{ row: 1, reason: '表头中没有手机号或客户编号列 header has no phone or external id column' }],
    };
    await recordBatch(db.sql, options, report);
    return report;
  }
  const { valid, problems, duplicates, rejected } = validateRows(table, columns, options.tags ?? []);
  const totalRows = valid.length + duplicates + rejected;
  const counts = { created: 0, updated: 0, orders: 0 };
  let status: ImportReport['status'] = 'committed';
  let error: string | undefined;
  if (options.mode === 'strict' && rejected > 0) {
    status = 'rejected';
  } else {
    try {
      Object.assign(counts, await writeRows(db.sql, valid, options));
    } catch (e) {
      status = 'failed';
      error = e instanceof Error ? e.message : String(e);
      counts.created = 0;
      counts.updated = 0;
      counts.orders = 0;
    }
  }
  const report: ImportReport = { ...base, status, totalRows, ...counts, duplicates, rejected, problems, error };
  await recordBatch(db.sql, options, report);
  return report;
}

async function writeRows(sql: SqlClient, rows: ValidRow[], { onProgress, now: clockNow = Date.now }: ImportOptions) {
  let created = 0;
  let updated = 0;
  let orders = 0;
  // Order exports repeat a customer once per order: count each customer once.
  const touched = new Set<string>();
  await sql.transaction(async (tx) => {
    const now = isoDate(clockNow());
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as ValidRow;
      const identities: [string, string][] = [];
      if (r.phone) identities.push(['phone', r.phone]);
      if (r.externalId) identities.push(['externalId', r.externalId]);
      if (r.wecomId) identities.push(['wecomExternalUserId', r.wecomId]);
      let customerId: string | undefined;
      for (const [kind, value] of identities) {
        customerId = (
          await tx.get<{ customerId: string }>('SELECT customerId FROM CustomerIdentity WHERE kind = ? AND value = ?', [
            kind,
            value,
          ])
        )?.customerId;
        if (customerId) break;
      }
      const existing = customerId
        ? await tx.get<{ attributes: string; erasedAt: string | null }>(
            'SELECT attributes, erasedAt FROM Customer WHERE id = ?',
            [customerId],
          )
        : undefined;
      if (customerId && existing && !existing.erasedAt) {
        const merged = { ...(JSON.parse(existing.attributes) as Record<string, unknown>), ...r.attributes };
        await tx.run(
          'UPDATE Customer SET displayName = coalesce(?, displayName), attributes = ?, updatedAt = ? WHERE id = ?',
          [r.name, JSON.stringify(merged), now, customerId],
        );
        if (!touched.has(customerId)) updated++;
      } else {
        customerId = `cus_${randomUUID()}`;
        await tx.run(
          'INSERT INTO Customer (id, displayName, attributes, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)',
          [customerId, r.name, JSON.stringify(r.attributes), now, now],
        );
        created++;
      }
      touched.add(customerId);
      if (r.order) {
        const inserted = await tx.run(
          `INSERT INTO "Order" (id, customerId, amountCents, placedAt, channelCode, data)
           VALUES (?, ?, ?, ?, (SELECT channelCode FROM Customer WHERE id = ?), '{"source":"import"}')
           ON CONFLICT DO NOTHING`,
          [r.order.id, customerId, r.order.amountCents, isoDate(r.order.placedAt.getTime()), customerId],
        );
        orders += inserted.changes;
      }
      for (const [kind, value] of identities) {
        await tx.run(
          'INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
          [kind, value, customerId, now],
        );
      }
      for (const tag of r.tags) {
        await tx.run(
          "INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, ?, 'import', ?) ON CONFLICT DO NOTHING",
          [customerId, tag, now],
        );
      }
      if (onProgress && (i + 1) % 5000 === 0) onProgress(i + 1, rows.length);
    }
  });
  onProgress?.(rows.length, rows.length);
  return { created, updated, orders };
}

async function recordBatch(sql: SqlClient, options: ImportOptions, report: ImportReport): Promise<void> {
  // Recorded once the file has been written: both instants are the import's.
  const at = isoDate((options.now ?? Date.now)());
  await sql.run(
    `INSERT INTO ImportBatch (id, fileName, status, totalRows, created, updated, duplicates, rejected, errors, createdBy, createdAt, finishedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      report.batchId,
      options.fileName,
      report.status,
      report.totalRows,
      report.created,
      report.updated,
      report.duplicates,
      report.rejected,
      JSON.stringify(report.problems.slice(0, 1000)),
      options.createdBy ?? null,
      at,
      at,
    ],
  );
}
