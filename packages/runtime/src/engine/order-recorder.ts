import type { JourneyEvent } from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { isoDate } from '../db/iso-date.ts';

/** Events that mean "this customer bought something" and carry an order. */
export const ORDER_EVENT_TYPES = new Set(['order.placed', 'order.paid']);

/**
 * The order fields shops send, in the two common shapes: amounts in cents (our API) or in yuan
 * (most shop exports and webhooks: 实付金额 99.90).
 */
const OrderDataSchema = z
  .object({
    orderId: z.union([z.string().min(1).max(100), z.number()]).optional(),
    amountCents: z.number().int().nonnegative().optional(),
    amount: z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d{1,2})?$/)]).optional(),
  })
  .loose();

/** Amount in cents from an order event's data; 0 when the shop sent none. */
export function orderAmountCents(data: Record<string, unknown>): number {
  const parsed = OrderDataSchema.safeParse(data);
  if (!parsed.success) return 0;
  if (parsed.data.amountCents !== undefined) return parsed.data.amountCents;
  if (parsed.data.amount !== undefined) return Math.round(Number(parsed.data.amount) * 100);
  return 0;
}

/** The shop's order id of an order event (its data.orderId), else the event's own id. */
export function orderIdOf(event: JourneyEvent): string {
  const orderId = event.data.orderId;
  return typeof orderId === 'string' || typeof orderId === 'number' ? String(orderId) : event.id;
}

/**
 * Keeps the Order table (RFM, repurchase and revenue reports) in step with order events. One row
 * per shop order id: `order.paid` after `order.placed` for the same order is not a second order.
 * The order is attributed to the customer's channel at the time (first touch); reports may apply
 * other attribution rules on top.
 */
export function orderRecorder(sqlite: BetterSqlite3.Database) {
  const insert = sqlite.prepare(
    `INSERT OR IGNORE INTO "Order" (id, customerId, amountCents, placedAt, channelCode, data)
     VALUES (?, ?, ?, ?, (SELECT channelCode FROM Customer WHERE id = ?), ?)`,
  );
  return (event: JourneyEvent, customerId: string): void => {
    if (!ORDER_EVENT_TYPES.has(event.type)) return;
    insert.run(
      orderIdOf(event),
      customerId,
      orderAmountCents(event.data),
      isoDate(event.occurredAt.getTime()),
      customerId,
      JSON.stringify(event.data),
    );
  };
}
