// The fixtures of fixtures.ts on PostgreSQL: a live journey and customers written straight into
// the tables, in one statement each (arrays), for engine tests and the benchmark.
import { type JourneyGraphInput, parseJourneyGraph } from '@siyu/shared';
import pg from 'pg';
import { RAW_POOL_TYPES } from '../src/db/postgres-types.ts';

/** A pool on `url` as a worker process has one (raw column types, up to 4 connections). */
export function postgresPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 4, types: RAW_POOL_TYPES });
  // As the product's pool (postgres-database.ts): an idle client's error must not crash the
  // process. A suite run once died on one: a test file's scratch database dropped (WITH FORCE)
  // while a pool of it was still ending its idle clients, whose "terminating connection" then had
  // no listener. The pool drops that client; a query that needs it fails in its own test.
  pool.on('error', () => {});
  return pool;
}

/** Creates (or updates) a live journey with a new published version; returns the version id. */
export async function publishJourneyPg(
  pool: pg.Pool | pg.Client,
  journeyId: string,
  graphInput: JourneyGraphInput,
  version = 1,
): Promise<string> {
  const graph = JSON.stringify(parseJourneyGraph(graphInput));
  const versionId = `${journeyId}-v${version}`;
  // Three statements: an UPDATE in the same statement as the INSERT would not see the new journey.
  await pool.query(
    `INSERT INTO "Journey" (id, name, status, draft, "createdAt", "updatedAt") VALUES ($1, $1, 'live', $2, now(), now())
     ON CONFLICT (id) DO UPDATE SET draft = excluded.draft`,
    [journeyId, graph],
  );
  await pool.query(
    `INSERT INTO "JourneyVersion" (id, "journeyId", version, graph, "publishedAt") VALUES ($1, $2, $3, $4, now())`,
    [versionId, journeyId, version, graph],
  );
  await pool.query(`UPDATE "Journey" SET "liveVersionId" = $1, status = 'live' WHERE id = $2`, [versionId, journeyId]);
  return versionId;
}

/** Inserts customers `${prefix}${i}` for i in [from, to), each with a phone identity. */
export async function addCustomersPg(
  pool: pg.Pool | pg.Client,
  prefix: string,
  from: number,
  to: number,
): Promise<string[]> {
  const ids: string[] = [];
  const phones: string[] = [];
  for (let i = from; i < to; i++) {
    ids.push(`${prefix}${i}`);
    phones.push(`+86138${String(i).padStart(8, '0')}`);
  }
  await pool.query(
    `WITH c AS (
       INSERT INTO "Customer" (id, attributes, "createdAt", "updatedAt")
       SELECT id, '{}', now(), now() FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING)
     INSERT INTO "CustomerIdentity" (kind, value, "customerId", "createdAt")
     SELECT 'phone', p, id, now() FROM unnest($2::text[], $1::text[]) AS u(p, id) ON CONFLICT DO NOTHING`,
    [ids, phones],
  );
  return ids;
}
