import { isoDate } from '../db/iso-date.ts';
import type { SqlClient, SqlValue } from '../db/sql-client.ts';
import { placeholders } from '../db/sql-dialect.ts';
import { timeOrderedUuid } from './time-ordered-id.ts';
import type { ValidRow } from './validate-rows.ts';

/** Rows written per transaction: the event loop turns between chunks (other requests, the engine). */
export const CHUNK_ROWS = 1000;
/** Rows per multi-row INSERT, well inside both databases' parameter limits. */
const ROWS_PER_STATEMENT = 500;

export interface WriteCounts {
  created: number;
  updated: number;
  orders: number;
}

interface CustomerState {
  attributes: Record<string, unknown>;
  name: string | null;
  erased: boolean;
  tags: Set<string>;
}

/** What this import did to one customer, kept across chunks and stored for undo (ImportBatchCustomer). */
interface Trace {
  created: boolean;
  addedTags: Set<string>;
  previousAttributes: Record<string, unknown>;
  /** JSON of the name before this import changed it; undefined when it did not. */
  previousName?: string;
}

/** The data column of an order this import wrote: undo removes the orders carrying it. */
export const importedOrderData = (batchId: string) => JSON.stringify({ source: 'import', batchId });

const identityKey = (kind: string, value: string) => `${kind}\u0000${value}`;

function identitiesOf(r: ValidRow): [string, string][] {
  const list: [string, string][] = [];
  if (r.phone) list.push(['phone', r.phone]);
  if (r.externalId) list.push(['externalId', r.externalId]);
  if (r.wecomId) list.push(['wecomExternalUserId', r.wecomId]);
  return list;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Writes the rows in chunks of CHUNK_ROWS, one transaction each, yielding the event loop between
 * them (on SQLite a transaction holds the shared connection: one over 100,000 rows held the server
 * for seconds). Each chunk reads the identities, customers and tags it may match, merges row by
 * row in memory in file order, writes in multi-row statements, records what it did per customer
 * (ImportBatchCustomer, for undo) and the batch's progress. A chunk that fails rolls back alone:
 * the caller undoes the chunks before it (import-customers.ts).
 */
export async function writeChunks(
  sql: SqlClient,
  batchId: string,
  rows: ValidRow[],
  now: string,
  onProgress?: (done: number, total: number) => void,
): Promise<WriteCounts> {
  const counts: WriteCounts = { created: 0, updated: 0, orders: 0 };
  // Order exports repeat a customer once per order: count each customer once.
  const traces = new Map<string, Trace>();
  const orderData = importedOrderData(batchId);
  const restoreCheckpoints = await deferCheckpoints(sql);
  try {
    await writeAll();
  } finally {
    await restoreCheckpoints();
  }
  return counts;

  async function writeAll() {
    for (let from = 0; from < rows.length; from += CHUNK_ROWS) {
      const chunk = rows.slice(from, from + CHUNK_ROWS);
      await sql.transaction(async (tx) => {
        // Read afresh per chunk: between chunks others may have changed these customers.
        const owners = await loadOwners(tx, chunk.flatMap(identitiesOf));
        const customers = await loadCustomers(
          tx,
          [...new Set(owners.values())].filter((id): id is string => id !== null),
        );
        const written = new Set<string>();
        const identities: SqlValue[][] = [];
        const tags: SqlValue[][] = [];
        const orderRows: SqlValue[][] = [];
        for (const r of chunk) {
          const ids = identitiesOf(r);
          let customerId: string | undefined;
          for (const [kind, value] of ids) {
            customerId = owners.get(identityKey(kind, value)) ?? undefined;
            if (customerId) break;
          }
          const existing = customerId ? customers.get(customerId) : undefined;
          let trace = customerId ? traces.get(customerId) : undefined;
          let state: CustomerState;
          if (customerId && existing && !existing.erased) {
            state = existing;
            if (!trace) {
              trace = { created: false, addedTags: new Set(), previousAttributes: {} };
              traces.set(customerId, trace);
              counts.updated++;
            }
            for (const key of Object.keys(r.attributes)) {
              if (!trace.created && !Object.hasOwn(trace.previousAttributes, key)) {
                Object.defineProperty(trace.previousAttributes, key, {
                  value: Object.hasOwn(state.attributes, key) ? state.attributes[key] : null,
                  enumerable: true,
                  writable: true,
                  configurable: true,
                });
              }
            }
            if (r.name !== null && !trace.created && trace.previousName === undefined && r.name !== state.name) {
              trace.previousName = JSON.stringify(state.name);
            }
            state.attributes = { ...state.attributes, ...r.attributes };
            state.name = r.name ?? state.name;
          } else {
            customerId = `cus_${timeOrderedUuid()}`;
            state = { attributes: { ...r.attributes }, name: r.name, erased: false, tags: new Set() };
            customers.set(customerId, state);
            trace = { created: true, addedTags: new Set(), previousAttributes: {} };
            traces.set(customerId, trace);
            counts.created++;
          }
          written.add(customerId);
          if (r.order) {
            orderRows.push([
              r.order.id,
              customerId,
              r.order.amountCents,
              isoDate(r.order.placedAt.getTime()),
              customerId,
              orderData,
            ]);
          }
          for (const [kind, value] of ids) {
            // The first owner stays (an identity already someone else's is not moved).
            if (!owners.get(identityKey(kind, value))) owners.set(identityKey(kind, value), customerId);
            identities.push([kind, value, customerId, now]);
          }
          for (const tag of r.tags) {
            if (state.tags.has(tag)) continue;
            state.tags.add(tag);
            if (!trace.created) trace.addedTags.add(tag);
            tags.push([customerId, tag, 'import', now]);
          }
        }
        const customerRows = [...written].map((id) => {
          const c = customers.get(id) as CustomerState;
          return [id, c.name, JSON.stringify(c.attributes), now, now];
        });
        await insertMany(
          tx,
          'INSERT INTO Customer (id, displayName, attributes, createdAt, updatedAt) VALUES',
          customerRows,
          `ON CONFLICT (id) DO UPDATE SET displayName = excluded.displayName, attributes = excluded.attributes,
         updatedAt = excluded.updatedAt`,
        );
        await insertMany(
          tx,
          'INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES',
          identities,
          'ON CONFLICT DO NOTHING',
        );
        await insertMany(
          tx,
          'INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES',
          tags,
          'ON CONFLICT DO NOTHING',
        );
        counts.orders += await insertMany(
          tx,
          'INSERT INTO "Order" (id, customerId, amountCents, placedAt, channelCode, data) VALUES',
          orderRows,
          'ON CONFLICT DO NOTHING',
          // The customer's attributed channel at the time of the order.
          '(?, ?, ?, ?, (SELECT channelCode FROM Customer WHERE id = ?), ?)',
        );
        await insertMany(
          tx,
          'INSERT INTO ImportBatchCustomer (batchId, customerId, created, addedTags, previousAttributes, previousName) VALUES',
          [...written].map((id) => {
            const t = traces.get(id) as Trace;
            return [
              batchId,
              id,
              t.created,
              JSON.stringify([...t.addedTags]),
              JSON.stringify(t.previousAttributes),
              t.previousName ?? null,
            ];
          }),
          `ON CONFLICT (batchId, customerId) DO UPDATE SET addedTags = excluded.addedTags,
         previousAttributes = excluded.previousAttributes, previousName = excluded.previousName`,
        );
        const done = Math.min(from + CHUNK_ROWS, rows.length);
        await tx.run('UPDATE ImportBatch SET processedRows = ?, created = ?, updated = ? WHERE id = ?', [
          done,
          counts.created,
          counts.updated,
          batchId,
        ]);
        onProgress?.(done, rows.length);
      });
      await nextTurn();
    }
  }
}

/**
 * SQLite checkpoints the WAL into the database after a commit once it passes 1,000 pages, with an
 * fsync each time: after every chunk of a large import, which made 100,000 rows five times slower
 * on a busy disk. Until the import ends the WAL is checkpointed only by other commits' turns (as
 * when the import was one transaction); then once. No-op on PostgreSQL.
 */
async function deferCheckpoints(sql: SqlClient): Promise<() => Promise<void>> {
  if (sql.dialect !== 'sqlite') return async () => {};
  const before = await sql.get<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint');
  await sql.run('PRAGMA wal_autocheckpoint = 0');
  return async () => {
    await sql.run(`PRAGMA wal_autocheckpoint = ${Number(before?.wal_autocheckpoint ?? 1000)}`);
    await sql.get('PRAGMA wal_checkpoint(PASSIVE)');
  };
}

/** Which customers own these identities (null: none yet). */
async function loadOwners(tx: SqlClient, identities: [string, string][]): Promise<Map<string, string | null>> {
  const owners = new Map<string, string | null>();
  // Per kind, so each lookup reads the (kind, value) primary key.
  const byKind = new Map<string, Set<string>>();
  for (const [kind, value] of identities) {
    owners.set(identityKey(kind, value), null);
    const values = byKind.get(kind) ?? new Set<string>();
    values.add(value);
    byKind.set(kind, values);
  }
  for (const [kind, valueSet] of byKind) {
    const values = [...valueSet];
    for (let i = 0; i < values.length; i += ROWS_PER_STATEMENT) {
      const some = values.slice(i, i + ROWS_PER_STATEMENT);
      const found = await tx.all<{ value: string; customerId: string }>(
        `SELECT value, customerId FROM CustomerIdentity WHERE kind = ? AND value IN (${placeholders(some.length)})`,
        [kind, ...some],
      );
      for (const row of found) owners.set(identityKey(kind, row.value), row.customerId);
    }
  }
  return owners;
}

/** The stored attributes, name, erasure and tags of these customers. */
async function loadCustomers(tx: SqlClient, ids: string[]): Promise<Map<string, CustomerState>> {
  const customers = new Map<string, CustomerState>();
  for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
    const some = ids.slice(i, i + ROWS_PER_STATEMENT);
    const found = await tx.all<{ id: string; displayName: string | null; attributes: string; erasedAt: string | null }>(
      `SELECT id, displayName, attributes, erasedAt FROM Customer WHERE id IN (${placeholders(some.length)})`,
      some,
    );
    for (const c of found) {
      customers.set(c.id, {
        attributes: JSON.parse(c.attributes) as Record<string, unknown>,
        name: c.displayName,
        erased: c.erasedAt !== null,
        tags: new Set(),
      });
    }
    const tags = await tx.all<{ customerId: string; tag: string }>(
      `SELECT customerId, tag FROM CustomerTag WHERE customerId IN (${placeholders(some.length)})`,
      some,
    );
    for (const t of tags) customers.get(t.customerId)?.tags.add(t.tag);
  }
  return customers;
}

/**
 * `head` then `rows` as a multi-row VALUES list (statements of at most ROWS_PER_STATEMENT rows),
 * then `tail`; `tuple` is one row's values (default `(?, ?, …)`). Returns the rows written.
 */
async function insertMany(
  tx: SqlClient,
  head: string,
  rows: SqlValue[][],
  tail: string,
  tuple?: string,
): Promise<number> {
  let changes = 0;
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const some = rows.slice(i, i + ROWS_PER_STATEMENT);
    const one = tuple ?? `(${placeholders((some[0] as SqlValue[]).length)})`;
    const result = await tx.run(`${head} ${some.map(() => one).join(', ')} ${tail}`, some.flat());
    changes += result.changes;
  }
  return changes;
}
