import { normalizePhone } from '@siyu/shared';
import { type ColumnMap, splitTags } from './columns.ts';
import { parseAmountCents, parseOrderTime } from './order-columns.ts';

/** Why a row was not imported: the editor words `code` in the operator's language, the CLI prints `reason`. */
export type RowProblemCode =
  | 'noIdentityColumn'
  | 'phoneInvalid'
  | 'missingIdentity'
  | 'nameTooLong'
  | 'orderIdMissing'
  | 'amountInvalid'
  | 'orderTimeInvalid'
  | 'duplicateOrder'
  | 'duplicateRow';

export interface RowProblem {
  /** 1-based row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  /** The header of the column at fault, when one is. */
  column?: string;
  code: RowProblemCode;
  /** The cell's text (invalid values) or the earlier row's number (duplicates). */
  value?: string;
  /** Chinese and English words, for the CLI and API callers. */
  reason: string;
}

export interface ValidRow {
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

export interface ValidatedRows {
  valid: ValidRow[];
  problems: RowProblem[];
  duplicates: number;
  rejected: number;
}

type Cell = (index: number | undefined) => string;
type Header = (index: number | undefined) => string | undefined;

/** The row's order (order exports only), or the problem that stops it being read. */
function orderOf(cell: Cell, header: Header, columns: ColumnMap, row: number): ValidRow['order'] | RowProblem {
  const { orderId, amount, orderedAt } = columns.orders;
  if (orderId === undefined) return null;
  const id = cell(orderId).trim();
  if (!id)
    return { row, column: header(orderId), code: 'orderIdMissing', reason: `第 ${row} 行缺少订单号 missing order id` };
  const amountCents = amount === undefined ? 0 : parseAmountCents(cell(amount));
  if (amountCents === undefined) {
    const value = cell(amount);
    return { row, column: header(amount), code: 'amountInvalid', value, reason: `金额无效 invalid amount "${value}"` };
  }
  const placedAt = orderedAt === undefined ? undefined : parseOrderTime(cell(orderedAt));
  if (!placedAt) {
    const value = orderedAt === undefined ? '' : cell(orderedAt);
    return {
      row,
      column: header(orderedAt),
      code: 'orderTimeInvalid',
      value,
      reason: `下单时间无效 invalid order time "${value}" (e.g. 2026-11-11 10:23:45)`,
    };
  }
  return { id: id.slice(0, 100), amountCents, placedAt };
}

/** Each data row as a customer to write, or the problem that keeps it out; rows repeating an earlier one are duplicates. */
export function validateRows(rows: readonly string[][], columns: ColumnMap, extraTags: string[]): ValidatedRows {
  const valid: ValidRow[] = [];
  const problems: RowProblem[] = [];
  let duplicates = 0;
  let rejected = 0;
  const seen = new Map<string, number>();
  const seenOrders = new Map<string, number>();
  const { known } = columns;
  const headerRow = rows[0] ?? [];
  const header: Header = (index) => (index === undefined ? undefined : headerRow[index]);
  const identityColumn = header(known.phone ?? known.externalId ?? known.wecomExternalUserId);
  const reject = (problem: RowProblem) => {
    rejected++;
    problems.push(problem);
  };
  for (let i = 1; i < rows.length; i++) {
    const cells = rows[i] as string[];
    const row = i + 1;
    if (cells.every((c) => c === '')) continue; // blank lines are not rows
    const cell: Cell = (index) => (index === undefined ? '' : (cells[index] ?? ''));
    const rawPhone = cell(known.phone);
    const normalized = rawPhone ? normalizePhone(rawPhone) : null;
    const phone = normalized?.ok ? normalized.e164 : null;
    const externalId = cell(known.externalId) || null;
    const wecomId = cell(known.wecomExternalUserId) || null;
    if (normalized && !normalized.ok) {
      reject({
        row,
        column: header(known.phone),
        code: 'phoneInvalid',
        value: rawPhone,
        reason: `手机号无效 invalid phone number "${rawPhone}": ${normalized.reason}`,
      });
      continue;
    }
    if (!phone && !externalId && !wecomId) {
      reject({
        row,
        column: identityColumn,
        code: 'missingIdentity',
        reason: '缺少手机号或客户编号 missing phone and external id',
      });
      continue;
    }
    const name = cell(known.name);
    if (name.length > 100) {
      reject({
        row,
        column: header(known.name),
        code: 'nameTooLong',
        reason: '姓名超过 100 字 name longer than 100 characters',
      });
      continue;
    }
    const order = orderOf(cell, header, columns, row);
    if (order && 'code' in order) {
      reject(order);
      continue;
    }
    const earlierOrder = order ? seenOrders.get(order.id) : undefined;
    if (earlierOrder !== undefined) {
      duplicates++;
      problems.push({
        row,
        column: header(columns.orders.orderId),
        code: 'duplicateOrder',
        value: String(earlierOrder),
        reason: `订单号与第 ${earlierOrder} 行重复 order id duplicates row ${earlierOrder}`,
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
      problems.push({
        row,
        column: identityColumn,
        code: 'duplicateRow',
        value: String(firstRow),
        reason: `与第 ${firstRow} 行重复 duplicate of row ${firstRow}`,
      });
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
