import { randomUUID } from 'node:crypto';
import { apiErrorDetail, normalizePhone } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate } from '../db/iso-date.ts';
import type { SqlClient, SqlValue } from '../db/sql-client.ts';
import { placeholders } from '../db/sql-dialect.ts';
import { type ColumnMapping, columnMapOf, planColumns } from './column-mapping.ts';
import { type ColumnMap, splitTags } from './columns.ts';
import { looksGarbled } from './decode.ts';
import { ImportFileError } from './import-error.ts';
import { parseAmountCents, parseOrderTime } from './order-columns.ts';
import { readTable, type Table } from './read-table.ts';

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
      // defineProperty: a column headed `__proto__` becomes an attribute of that name, not the object's prototype.
      if (value !== '')
        Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
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
  const table = await readTable(bytes, { sheet: options.sheet });
  const header = table.rows[0] ?? [];
  const columns = columnMapOf(planColumns(header, options.mapping));
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
      problems: [
        {
          row: 1,
          reason:
            '表头中没有手机号或客户编号列：请指定哪一列是手机号 header has no phone or external id column: say which column holds the phone (mapping)',
        },
      ],
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

/** Rows written per round of statements: a few round trips per 500 rows, not several per row. */
const CHUNK_ROWS = 500;
/** Rows per multi-row INSERT, well inside both databases' parameter limits. */
const ROWS_PER_INSERT = 500;

interface CustomerState {
  attributes: Record<string, unknown>;
  name: string | null;
  erased: boolean;
}

/**
 * Writes the rows in one transaction, in chunks: each chunk reads the identities and customers it
 * may match in two queries, merges row by row in memory (in file order, as if one row at a time),
 * and writes customers (one upsert), identities, tags and orders in multi-row statements. Over
 * PostgreSQL's network round trips this is what keeps a large file quick.
 */
async function writeRows(sql: SqlClient, rows: ValidRow[], { onProgress, now: clockNow = Date.now }: ImportOptions) {
  let created = 0;
  let updated = 0;
  let orders = 0;
  // Order exports repeat a customer once per order: count each customer once.
  const touched = new Set<string>();
  /** `kind\0value` → its customer (null: none), from the database or written by this import. */
  const owners = new Map<string, string | null>();
  const customers = new Map<string, CustomerState>();
  const identityKey = (kind: string, value: string) => `${kind}\u0000${value}`;
  await sql.transaction(async (tx) => {
    const now = isoDate(clockNow());
    for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
      const chunk = rows.slice(from, from + CHUNK_ROWS);
      const identitiesOf = (r: ValidRow): [string, string][] => {
        const list: [string, string][] = [];
        if (r.phone) list.push(['phone', r.phone]);
        if (r.externalId) list.push(['externalId', r.externalId]);
        if (r.wecomId) list.push(['wecomExternalUserId', r.wecomId]);
        return list;
      };
      await loadOwners(tx, chunk.flatMap(identitiesOf), owners, identityKey);
      const matched = chunk.flatMap(identitiesOf).map(([kind, value]) => owners.get(identityKey(kind, value)));
      await loadCustomers(
        tx,
        [...new Set(matched)].filter((id): id is string => typeof id === 'string' && !customers.has(id)),
        customers,
      );
      const written = new Set<string>();
      const identities: SqlValue[][] = [];
      const tags: SqlValue[][] = [];
      const orderRows: SqlValue[][] = [];
      for (const r of chunk) {
        const ids = identitiesOf(r);
        let customerId: string | undefined;
        for (const [kind, value] of ids) {
          customerId = owners.get(identityKey(kind, value)) ?? undefined;
          if (customerId) break;
        }
        const existing = customerId ? customers.get(customerId) : undefined;
        if (customerId && existing && !existing.erased) {
          existing.attributes = { ...existing.attributes, ...r.attributes };
          existing.name = r.name ?? existing.name;
          if (!touched.has(customerId)) updated++;
        } else {
          customerId = `cus_${randomUUID()}`;
          customers.set(customerId, { attributes: { ...r.attributes }, name: r.name, erased: false });
          created++;
        }
        touched.add(customerId);
        written.add(customerId);
        if (r.order) {
          orderRows.push([
            r.order.id,
            customerId,
            r.order.amountCents,
            isoDate(r.order.placedAt.getTime()),
            customerId,
          ]);
        }
        for (const [kind, value] of ids) {
          // The first owner stays (an identity already someone else's is not moved).
          if (!owners.get(identityKey(kind, value))) owners.set(identityKey(kind, value), customerId);
          identities.push([kind, value, customerId, now]);
        }
        for (const tag of r.tags) tags.push([customerId, tag, now]);
      }
      const customerRows = [...written].map((id) => {
        const c = customers.get(id) as CustomerState;
        return [id, c.name, JSON.stringify(c.attributes), now, now];
      });
      await insertMany(
        tx,
        'INSERT INTO Customer (id, displayName, attributes, createdAt, updatedAt) VALUES',
        customerRows,
        `ON CONFLICT (id) DO UPDATE SET displayName = excluded.displayName, attributes = excluded.attributes,
         updatedAt = excluded.updatedAt`,
      );
      await insertMany(
        tx,
        'INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES',
        identities,
        'ON CONFLICT DO NOTHING',
      );
      await insertMany(
        tx,
        'INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES',
        tags.map(([customerId, tag, at]) => [customerId ?? null, tag ?? null, 'import', at ?? null]),
        'ON CONFLICT DO NOTHING',
      );
      orders += await insertMany(
        tx,
        'INSERT INTO "Order" (id, customerId, amountCents, placedAt, channelCode, data) VALUES',
        orderRows,
        'ON CONFLICT DO NOTHING',
        // The customer's attributed channel at the time of the order.
        `(?, ?, ?, ?, (SELECT channelCode FROM Customer WHERE id = ?), '{"source":"import"}')`,
      );
      const done = Math.min(from + CHUNK_ROWS, rows.length);
      if (onProgress && Math.floor(done / 5000) > Math.floor(from / 5000) && done < rows.length) {
        onProgress(done, rows.length);
      }
    }
  });
  onProgress?.(rows.length, rows.length);
  return { created, updated, orders };
}

/** Which customers own these identities (the ones not yet known), into `owners`. */
async function loadOwners(
  tx: SqlClient,
  identities: [string, string][],
  owners: Map<string, string | null>,
  identityKey: (kind: string, value: string) => string,
): Promise<void> {
  // Per kind, so each lookup reads the (kind, value) primary key.
  const unknownByKind = new Map<string, Set<string>>();
  for (const [kind, value] of identities) {
    const key = identityKey(kind, value);
    if (owners.has(key)) continue;
    owners.set(key, null);
    const values = unknownByKind.get(kind) ?? new Set<string>();
    values.add(value);
    unknownByKind.set(kind, values);
  }
  for (const [kind, valueSet] of unknownByKind) {
    const values = [...valueSet];
    for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
      const some = values.slice(i, i + ROWS_PER_INSERT);
      const found = await tx.all<{ value: string; customerId: string }>(
        `SELECT value, customerId FROM CustomerIdentity WHERE kind = ? AND value IN (${placeholders(some.length)})`,
        [kind, ...some],
      );
      for (const row of found) owners.set(identityKey(kind, row.value), row.customerId);
    }
  }
}

/** The stored attributes, name and erasure of these customers, into `customers`. */
async function loadCustomers(tx: SqlClient, ids: string[], customers: Map<string, CustomerState>): Promise<void> {
  for (let i = 0; i < ids.length; i += ROWS_PER_INSERT) {
    const some = ids.slice(i, i + ROWS_PER_INSERT);
    const found = await tx.all<{ id: string; displayName: string | null; attributes: string; erasedAt: string | null }>(
      `SELECT id, displayName, attributes, erasedAt FROM Customer WHERE id IN (${placeholders(some.length)})`,
      some,
    );
    for (const c of found) {
      customers.set(c.id, {
        attributes: JSON.parse(c.attributes) as Record<string, unknown>,
        name: c.displayName,
        erased: c.erasedAt !== null,
      });
    }
  }
}

/**
 * `head` then `rows` as a multi-row VALUES list (statements of at most ROWS_PER_INSERT rows), then
 * `tail`; `tuple` is one row's values (default `(?, ?, …)`). Returns the rows written.
 */
async function insertMany(
  tx: SqlClient,
  head: string,
  rows: SqlValue[][],
  tail: string,
  tuple?: string,
): Promise<number> {
  let changes = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const some = rows.slice(i, i + ROWS_PER_INSERT);
    const one = tuple ?? `(${placeholders((some[0] as SqlValue[]).length)})`;
    const result = await tx.run(`${head} ${some.map(() => one).join(', ')} ${tail}`, some.flat());
    changes += result.changes;
  }
  return changes;
}

async function recordBatch(sql: SqlClient, options: ImportOptions, report: ImportReport): Promise<void> {
  // Recorded once the file has been written: both instants are the import's.
  const at = isoDate((options.now ?? Date.now)());
  await sql.run(
    `INSERT INTO ImportBatch (id, fileName, status, totalRows, created, updated, duplicates, rejected, errors, createdBy, createdAt, finishedAt, mapping)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      JSON.stringify(options.mapping ?? {}),
    ],
  );
}
