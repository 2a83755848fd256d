import { DateTime } from 'luxon';

/** Shop order exports (Tmall, JD, Douyin, Youzan) name these columns in many ways. */
export const ORDER_ALIASES = {
  orderId: ['orderid', 'order_id', '订单号', '订单编号', '主订单编号', '子订单编号', '交易编号', '订单id'],
  amount: [
    'amount',
    'orderamount',
    'total',
    '实付金额',
    '订单金额',
    '买家实付金额',
    '实收款',
    '支付金额',
    '金额',
    '商品金额',
  ],
  orderedAt: [
    'orderedat',
    'ordertime',
    'placedat',
    '下单时间',
    '订单创建时间',
    '付款时间',
    '订单付款时间',
    '支付时间',
    '成交时间',
  ],
} as const;

export type OrderColumn = keyof typeof ORDER_ALIASES;

/** "¥1,299.00", "59.9", "59.90元" → cents; undefined when it is not an amount. */
export function parseAmountCents(cell: string): number | undefined {
  const cleaned = cell.replace(/[¥￥,，\s元]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return undefined;
  return Math.round(Number(cleaned) * 100);
}

const TIME_FORMATS = [
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm',
  'yyyy/M/d HH:mm:ss',
  'yyyy/M/d H:mm',
  'yyyy/M/d',
  'yyyy-MM-dd',
];

/**
 * Order time as shops export it, in China time unless the cell says otherwise (an ISO string with
 * an offset, as our XLSX reader writes dates). Undefined when it is not a time.
 */
export function parseOrderTime(cell: string, zone = 'Asia/Shanghai'): Date | undefined {
  const text = cell.trim();
  if (!text) return undefined;
  const iso = DateTime.fromISO(text, { zone, setZone: false });
  if (iso.isValid) return iso.toJSDate();
  for (const format of TIME_FORMATS) {
    const parsed = DateTime.fromFormat(text, format, { zone });
    if (parsed.isValid) return parsed.toJSDate();
  }
  return undefined;
}
