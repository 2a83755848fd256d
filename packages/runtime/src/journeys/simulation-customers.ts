import type { JourneyEventInput } from '@siyu/shared';
import type { Database } from '../db/database.ts';

/** Customers copied per query (SQLite binds at most 32,766 parameters; PostgreSQL 65,535). */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Copies real customers into a simulation's scratch database as the journey would see them:
 * attributes, RFM, owner and first channel, identities, tags, orders, and opt-outs (an opted-out
 * phone is not sent to in the simulation either). Reads through Prisma: either database.
 */
export async function copyCustomersInto(source: Pick<Database, 'prisma'>, sim: Database, ids: readonly string[]) {
  for (const part of chunks([...new Set(ids)])) {
    const customers = await source.prisma.customer.findMany({
      where: { id: { in: part } },
      include: { identities: true, tags: true },
    });
    await sim.prisma.customer.createMany({
      data: customers.map(({ identities: _i, tags: _t, ...customer }) => customer),
    });
    await sim.prisma.customerIdentity.createMany({ data: customers.flatMap((c) => c.identities) });
    await sim.prisma.customerTag.createMany({ data: customers.flatMap((c) => c.tags) });
    const orders = await source.prisma.order.findMany({ where: { customerId: { in: part } } });
    if (orders.length > 0) await sim.prisma.order.createMany({ data: orders });
    const optOuts = await source.prisma.optOut.findMany({ where: { customerId: { in: part } } });
    if (optOuts.length > 0) await sim.prisma.optOut.createMany({ data: optOuts });
  }
}

/** Real events by external id, as the engine takes them in (the simulation replays them). */
export async function copyEventsInto(
  source: Pick<Database, 'prisma'>,
  externalIds: readonly string[],
): Promise<JourneyEventInput[]> {
  const events: JourneyEventInput[] = [];
  for (const part of chunks(externalIds)) {
    const rows = await source.prisma.event.findMany({ where: { externalId: { in: part } } });
    for (const row of rows) {
      events.push({
        id: row.externalId,
        type: row.type,
        customerId: row.customerId ?? undefined,
        occurredAt: new Date(Number(row.occurredAt)),
        data: JSON.parse(row.data) as Record<string, unknown>,
      });
    }
  }
  return events;
}
