// The fixtures of fixtures.ts and postgres-fixtures.ts behind one call, for tests that run the same
// steps on SQLite and PostgreSQL (describe.each over freshBackends).
import type { JourneyGraphInput } from '@siyu/shared';
import type { AppDatabase } from '../src/db/app-database.ts';
import { addCustomers, publishJourney } from './fixtures.ts';
import { addCustomersPg, publishJourneyPg } from './postgres-fixtures.ts';

/** Publishes each journey (id → graph) live and creates customers `<prefix><from…to-1>` on `db`. */
export async function seedEither(
  db: AppDatabase,
  journeys: Record<string, JourneyGraphInput>,
  customers: { prefix: string; from: number; to: number },
): Promise<void> {
  const { prefix, from, to } = customers;
  if (db.dialect === 'sqlite') {
    for (const [id, graph] of Object.entries(journeys)) publishJourney(db.sqlite, id, graph);
    addCustomers(db.sqlite, prefix, from, to);
    return;
  }
  for (const [id, graph] of Object.entries(journeys)) await publishJourneyPg(db.pool, id, graph);
  await addCustomersPg(db.pool, prefix, from, to);
}
