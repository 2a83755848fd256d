import { normalizePhone, TagNameSchema } from '@siyu/shared';
import { z } from 'zod';
import type { SqlClient, SqlValue } from '../db/sql-client.ts';
import { groupConcat, jsonTextAtParam, likeIgnoringCase } from '../db/sql-dialect.ts';

const Id = z.string().min(1).max(100);
const Tag = TagNameSchema;

/** The customers list's search: text (name, id, phone), tags, attributes, channel, journey. */
export const CustomerSearchSchema = z.object({
  text: z.string().trim().max(100).optional(),
  /** The customer must have every one of these tags. */
  tags: z.array(Tag).max(20).default([]),
  withoutTags: z.array(Tag).max(20).default([]),
  attributes: z
    .array(
      z.object({
        key: z.string().regex(/^[^"\\]{1,60}$/, 'attribute key must not contain quotes'),
        value: z.string().max(200),
      }),
    )
    .max(10)
    .default([]),
  channelCode: z.string().max(30).optional(),
  journeyId: Id.optional(),
  journeyStatus: z.enum(['active', 'completed', 'exited', 'failed']).optional(),
  includeErased: z.boolean().default(false),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
export type CustomerSearch = z.infer<typeof CustomerSearchSchema>;
/** What a search matches, without its page (an export takes every match). */
export type CustomerFilter = Omit<CustomerSearch, 'limit' | 'offset'>;

/** Joins a customer's tags in one column: a control character no tag contains. */
const TAG_SEPARATOR = '\u001f';
const TAG_SEPARATOR_SQL = `'${TAG_SEPARATOR}'`;

interface CustomerRow {
  id: string;
  displayName: string | null;
  attributes: string;
  channelCode: string | null;
  variant: string | null;
  createdAt: string;
  erasedAt: string | null;
  tags: string | null;
  phone: string | null;
}

/** What the list shows of one customer (and the CSV export writes). */
export type CustomerListItem = Omit<CustomerRow, 'attributes' | 'tags'> & {
  attributes: Record<string, unknown>;
  tags: string[];
};

/** The WHERE clause of a search, on either database. */
function searchWhere(sql: SqlClient, input: CustomerFilter): { whereSql: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  // Names match whatever their case, as on SQLite (PostgreSQL's LIKE minds it).
  const like = likeIgnoringCase(sql.dialect);
  if (!input.includeErased) where.push('c.erasedAt IS NULL');
  if (input.text) {
    // A phone typed any way ("137 1111 2222", "13711112222") finds the E.164 identity; a part
    // of one ("1111 2222") is matched without its separators.
    const phone = normalizePhone(input.text);
    const digits = /^[+\d\s\-()]+$/.test(input.text) ? input.text.replace(/[\s\-()]/g, '') : input.text;
    where.push(
      `(c.displayName ${like} ? ESCAPE '\\' OR c.id = ? OR EXISTS (SELECT 1 FROM CustomerIdentity i WHERE i.customerId = c.id AND i.value ${like} ? ESCAPE '\\')${
        phone.ok
          ? " OR EXISTS (SELECT 1 FROM CustomerIdentity i WHERE i.kind = 'phone' AND i.value = ? AND i.customerId = c.id)"
          : ''
      })`,
    );
    const pattern = (text: string) => `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    params.push(pattern(input.text), input.text, pattern(digits));
    if (phone.ok) params.push(phone.e164);
  }
  for (const tag of input.tags) {
    where.push('EXISTS (SELECT 1 FROM CustomerTag t WHERE t.customerId = c.id AND t.tag = ?)');
    params.push(tag);
  }
  for (const tag of input.withoutTags) {
    where.push('NOT EXISTS (SELECT 1 FROM CustomerTag t WHERE t.customerId = c.id AND t.tag = ?)');
    params.push(tag);
  }
  for (const { key, value } of input.attributes) {
    const at = jsonTextAtParam(sql.dialect, 'c.attributes', key);
    where.push(`${at.sql} = ?`);
    params.push(at.param, value);
  }
  if (input.channelCode) {
    where.push('c.channelCode = ?');
    params.push(input.channelCode);
  }
  if (input.journeyId || input.journeyStatus) {
    const conds = ['s.customerId = c.id'];
    if (input.journeyId) {
      conds.push('s.journeyId = ?');
      params.push(input.journeyId);
    }
    if (input.journeyStatus) {
      conds.push('s.status = ?');
      params.push(input.journeyStatus);
    }
    where.push(`EXISTS (SELECT 1 FROM Instance s WHERE ${conds.join(' AND ')})`);
  }
  return { whereSql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

const LIST_COLUMNS = (
  sql: SqlClient,
) => `c.id, c.displayName, c.attributes, c.channelCode, c.variant, c.createdAt, c.erasedAt,
  (SELECT ${groupConcat(sql.dialect, 'tag', TAG_SEPARATOR_SQL)} FROM CustomerTag t WHERE t.customerId = c.id) AS tags,
  (SELECT value FROM CustomerIdentity i WHERE i.customerId = c.id AND i.kind = 'phone') AS phone`;

function itemOf(r: CustomerRow): CustomerListItem {
  return {
    ...r,
    attributes: JSON.parse(r.attributes) as Record<string, unknown>,
    tags: r.tags ? r.tags.split(TAG_SEPARATOR).sort() : [],
  };
}

/** One page of a search, newest first, with the number of customers it finds. */
export async function searchCustomers(
  sql: SqlClient,
  input: CustomerSearch,
): Promise<{ total: number; items: CustomerListItem[] }> {
  const { whereSql, params } = searchWhere(sql, input);
  const total = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM Customer c ${whereSql}`, params))?.n ?? 0;
  const rows = await sql.all<CustomerRow>(
    `SELECT ${LIST_COLUMNS(sql)} FROM Customer c ${whereSql} ORDER BY c.createdAt DESC, c.id LIMIT ? OFFSET ?`,
    [...params, input.limit, input.offset],
  );
  return { total: Number(total), items: rows.map(itemOf) };
}

/** The list's view of these customers (at most a page: one placeholder per id), in the ids' order. */
export async function customersByIds(sql: SqlClient, ids: readonly string[]): Promise<CustomerListItem[]> {
  if (ids.length === 0) return [];
  const rows = await sql.all<CustomerRow>(
    `SELECT ${LIST_COLUMNS(sql)} FROM Customer c WHERE c.id IN (${ids.map(() => '?').join(', ')})`,
    [...ids],
  );
  const byId = new Map(rows.map((r) => [r.id, itemOf(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Every customer a search finds, newest first (the export reads them in pages by these ids). */
export async function searchCustomerIds(sql: SqlClient, input: CustomerFilter): Promise<string[]> {
  const { whereSql, params } = searchWhere(sql, input);
  const rows = await sql.all<{ id: string }>(
    `SELECT c.id FROM Customer c ${whereSql} ORDER BY c.createdAt DESC, c.id`,
    params,
  );
  return rows.map((r) => r.id);
}
