// The write buffer's customer updates against a real PostgreSQL: net per batch, and attributes
// changed by name, so a writer that changed another attribute in between keeps its change.
import { afterEach, describe, expect, it } from 'vitest';
import { addCustomersPg, postgresPool } from '../../../../testing/postgres-fixtures.ts';
import { postgresDatabaseForFile } from '../../../db/postgres-for-tests.test-helper.ts';
import { WriteBuffer } from './write-buffer.ts';

const postgresUrl = postgresDatabaseForFile('write_buffer');
const pools: Array<{ end(): Promise<void> }> = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

describe('WriteBuffer: customer updates on PostgreSQL', () => {
  it('sends the net change per customer and leaves attributes it did not name as another writer left them', async () => {
    const pool = postgresPool(postgresUrl());
    pools.push(pool);
    await pool.query('TRUNCATE "CustomerTag", "Customer" CASCADE');
    await addCustomersPg(pool, 'c', 0, 1);
    await pool.query(`UPDATE "Customer" SET attributes = '{"points":5,"temp":"x"}' WHERE id = 'c0'`);
    await pool.query(
      `INSERT INTO "CustomerTag" ("customerId", tag, source, "createdAt") VALUES ('c0', 'lead', 'import', now())`,
    );

    const at = new Date(Date.UTC(2026, 0, 5));
    const writes = new WriteBuffer();
    // Three steps of one batch: vip added then taken back, gold added, lead removed; points set
    // twice (the last wins), temp removed, then set again, layer set.
    writes.customerUpdate(
      'c0',
      { addTags: ['vip'], removeTags: ['lead'], setAttributes: { points: 10 } },
      'journey:j',
      at,
    );
    writes.customerUpdate('c0', { unsetAttributes: ['temp'], setAttributes: { layer: 'core' } }, 'journey:j', at);
    writes.customerUpdate(
      'c0',
      { addTags: ['gold'], removeTags: ['vip'], setAttributes: { points: 15, temp: 'y' } },
      'journey:j',
      at,
    );
    // Rows collected (the bench's rows-per-step figure): vip, lead, gold and one customer row.
    expect(writes.rows).toBe(4);
    // Meanwhile an operator sets another attribute (the batch holds no lock on the customer).
    await pool.query(`UPDATE "Customer" SET attributes = '{"points":5,"temp":"x","city":"上海"}' WHERE id = 'c0'`);

    await writes.flush((sql, values) => pool.query(sql, values), 'w1', 0);
    const tags = await pool.query(`SELECT tag, source FROM "CustomerTag" WHERE "customerId" = 'c0' ORDER BY tag`);
    expect(tags.rows).toEqual([{ tag: 'gold', source: 'journey:j' }]);
    const row = await pool.query(`SELECT attributes, "updatedAt" FROM "Customer" WHERE id = 'c0'`);
    expect(JSON.parse(row.rows[0].attributes)).toEqual({ points: 15, temp: 'y', layer: 'core', city: '上海' });
    expect(row.rows[0].updatedAt).toEqual(at);
  });
});
