import { ORDER_ALIASES, type OrderColumn } from './order-columns.ts';

/** Header names seen in shop/CRM exports, mapped to the fields the import understands. */
const ALIASES: Record<'phone' | 'name' | 'tags' | 'externalId' | 'wecomExternalUserId', string[]> = {
  phone: [
    'phone',
    'mobile',
    'phone_number',
    'phonenumber',
    'tel',
    '手机号',
    '手机',
    '手机号码',
    '电话',
    '联系电话',
    '收货人手机',
  ],
  name: ['name', 'displayname', 'nickname', '姓名', '名字', '昵称', '客户姓名', '收货人'],
  tags: ['tags', 'tag', '标签', '客户标签'],
  externalId: [
    'externalid',
    'external_id',
    'customerid',
    'customer_id',
    'memberid',
    '会员id',
    '会员编号',
    '客户id',
    '客户编号',
    '外部id',
  ],
  wecomExternalUserId: ['wecomexternaluserid', 'external_userid', 'externaluserid', '企微外部联系人id'],
};

export type KnownColumn = keyof typeof ALIASES;

export interface ColumnMap {
  known: Partial<Record<KnownColumn, number>>;
  /** Order columns of a shop order export (one row per order): order id, amount, time. */
  orders: Partial<Record<OrderColumn, number>>;
  /** Other columns become customer attributes under their header name. */
  attributes: { index: number; key: string }[];
}

/** A header cell as the import compares it: without a byte-order mark and outer spaces. */
export function normalizeHeader(raw: string): string {
  return raw.replace(/^\uFEFF/, '').trim();
}

/** The field a header names by its wording in shop/CRM exports, if any. */
export function guessColumn(header: string): KnownColumn | OrderColumn | undefined {
  const normalized = header.toLowerCase().replace(/\s+/g, '');
  return (
    (Object.keys(ALIASES) as KnownColumn[]).find((k) => ALIASES[k].includes(normalized)) ??
    (Object.keys(ORDER_ALIASES) as OrderColumn[]).find((k) =>
      (ORDER_ALIASES[k] as readonly string[]).includes(normalized),
    )
  );
}

/** Tags cells use any of , ， ; ； | as separators. */
export function splitTags(cell: string): string[] {
  return cell
    .split(/[,，;；|]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t.length <= 50);
}
