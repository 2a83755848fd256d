import type { DueEffect, InstanceRow } from '../port.ts';
import type { PgInstanceRow } from './batch-cache.ts';
import type { LoadContext } from './event-loads.ts';
import * as SQL from './sql.ts';

/**
 * `claimDueEffects` on PostgreSQL: claims due effects with a lease (sql.ts, CLAIM_DUE_EFFECTS),
 * then reads their instances, customers, those customers' messages (frequency caps), operators'
 * open decisions on effects already attempted, and the versions' graphs: five statements at most.
 */
export async function loadDueEffects(
  ctx: Pick<LoadContext, 'query' | 'loadCustomers' | 'loadGraphs' | 'cache'>,
  now: number,
  limit: number,
  workerId: string,
  leaseUntil: number,
): Promise<DueEffect[]> {
  const { query, loadCustomers, loadGraphs, cache } = ctx;
  const claimed = await query<Omit<DueEffect, 'instance'> & { nextAttemptAt: number }>(SQL.CLAIM_DUE_EFFECTS, [
    now,
    limit,
    workerId,
    leaseUntil,
  ]);
  if (claimed.length === 0) return [];
  claimed.sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
  const instances = new Map<number, InstanceRow>();
  for (const row of await query<PgInstanceRow>(SQL.INSTANCES_BY_IDS, [claimed.map((e) => e.instanceId)]))
    instances.set(row.id, cache.instance(row));
  const customers = [...new Set([...instances.values()].map((r) => r.customerId))];
  await loadCustomers(customers, false);
  cache.addMessages(customers, await query(SQL.MESSAGES_OF_CUSTOMERS, [customers]));
  const attempted = claimed.filter((e) => e.attempts > 0).map((e) => e.idempotencyKey);
  if (attempted.length > 0) cache.addResolutions(await query(SQL.OPEN_RESOLUTIONS, [attempted]));
  await loadGraphs([...instances.values()].map((r) => r.versionId));
  return claimed.map(({ nextAttemptAt: _, ...effect }) => ({
    ...effect,
    instance: instances.get(effect.instanceId),
  }));
}
