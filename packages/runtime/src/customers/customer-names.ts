import type { AppDatabase } from '../db/app-database.ts';

/** How a customer is shown where a marketer reads a list: their name and phone, never the id alone. */
export interface CustomerName {
  displayName: string | null;
  phone: string | null;
}

/** Names and phones of the given customers, by id (an erased or unknown customer has neither). */
export async function customerNames(db: AppDatabase, ids: string[]): Promise<Map<string, CustomerName>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.prisma.customer.findMany({
    where: { id: { in: unique } },
    select: { id: true, displayName: true, identities: { where: { kind: 'phone' }, select: { value: true } } },
  });
  return new Map(
    rows.map((r) => [r.id, { displayName: r.displayName, phone: r.identities[0]?.value ?? null }] as const),
  );
}

/** Adds `customer` (name and phone) to each row that has a customerId. */
export async function withCustomerNames<T extends { customerId: string }>(
  db: AppDatabase,
  rows: T[],
): Promise<Array<T & { customer: CustomerName }>> {
  const names = await customerNames(
    db,
    rows.map((r) => r.customerId),
  );
  return rows.map((r) => ({ ...r, customer: names.get(r.customerId) ?? { displayName: null, phone: null } }));
}
