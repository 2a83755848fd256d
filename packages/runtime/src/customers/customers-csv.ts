import { spreadsheetCsv, UTF8_BOM } from '@siyu/shared/csv';
import type { SqlClient } from '../db/sql-client.ts';
import type { CustomerListItem } from './search-customers.ts';
import { customersByIds } from './search-customers.ts';
import { segmentFields } from './segment-fields.ts';

/** Customers read per query while streaming: one page of the list's own query. */
const CHUNK = 500;

const HEADERS = {
  'zh-CN': ['客户 ID', '姓名', '手机号', '标签', '渠道', '创建时间', '其他属性'],
  en: ['Customer id', 'Name', 'Phone', 'Tags', 'Channel', 'Created', 'Other attributes'],
} as const;
export type CsvLanguage = keyof typeof HEADERS;

const cell = (v: unknown) =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

function rowOf(c: CustomerListItem, attributeKeys: readonly string[]): string[] {
  const known = new Set(attributeKeys);
  const others = Object.fromEntries(Object.entries(c.attributes).filter(([k]) => !known.has(k)));
  return [
    c.id,
    c.displayName ?? '',
    c.phone ?? '',
    c.tags.join(', '),
    c.channelCode ? `${c.channelCode}${c.variant ? ` / ${c.variant}` : ''}` : '',
    new Date(c.createdAt).toISOString(),
    ...attributeKeys.map((k) => cell(c.attributes[k])),
    Object.keys(others).length ? JSON.stringify(others) : '',
  ];
}

/**
 * The customers `ids` as CSV text pieces (UTF-8 with BOM, then the header, then a piece per 500
 * customers), to be streamed: one column per attribute name the newest customers carry; any other
 * attribute a customer has goes, as JSON, in the last column, so nothing is left out.
 */
export async function* customersCsv(
  sql: SqlClient,
  ids: readonly string[],
  language: CsvLanguage,
): AsyncGenerator<string> {
  const { attributeKeys } = await segmentFields(sql);
  const [id, name, phone, tags, channel, created, others] = HEADERS[language];
  yield UTF8_BOM + spreadsheetCsv([[id, name, phone, tags, channel, created, ...attributeKeys, others]]);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const customers = await customersByIds(sql, ids.slice(i, i + CHUNK));
    if (customers.length) yield spreadsheetCsv(customers.map((c) => rowOf(c, attributeKeys)));
  }
}
