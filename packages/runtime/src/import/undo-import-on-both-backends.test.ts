// An import started as a job (startImport), polled, then undone: only what it created or added is
// taken back, and an import whose customers entered a journey is refused with the count; on
// SQLite and PostgreSQL.
import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it } from 'vitest';
import { publishJourneyOn } from '../../testing/fixtures.ts';
import type { AppDatabase } from '../db/app-database.ts';
import {
  addCustomer,
  createHarness,
  type Harness,
  type HarnessBackend,
  welcomeJourney,
} from '../trpc/harness.test-helper.ts';

const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
let h: Harness<AppDatabase>;
afterEach(() => h.close());

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const count = async (table: string) => (await h.db.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n;

/** Starts the import through the API and polls its batch until it is no longer running. */
async function importAndWait(csv: string, fileName = 'shop.csv') {
  const op = h.as('operator');
  const { batchId } = await op.audiences.startImport({ fileName, contentBase64: base64(csv), mode: 'skipInvalid' });
  for (let i = 0; i < 200; i++) {
    const batch = await op.audiences.importBatch({ id: batchId });
    if (batch.status !== 'running') return batch;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('import still running');
}

describe.each(BACKENDS)('undoing an import on %s', (backend) => {
  it('removes the customers it created and what it added to existing ones, and is audited', async () => {
    h = await createHarness({ backend });
    await addCustomer(h, 'old', { phone: '+8613800000001', tags: ['老客'], attributes: { 城市: '北京', 等级: '金' } });
    const rows = Array.from({ length: 2500 }, (_, i) => `1390000${String(i).padStart(4, '0')},客户${i},新客,上海`);
    const csv = `手机号,姓名,标签,城市\n13800000001,老王,新客,上海\n${rows.join('\n')}\nabc,坏,,\n`;
    const batch = await importAndWait(csv);
    expect(batch).toMatchObject({ status: 'committed', created: 2500, updated: 1, rejected: 1, processedRows: 2501 });
    expect(batch.errors).toEqual([
      expect.objectContaining({ row: 2503, column: '手机号', code: 'phoneInvalid', value: 'abc' }),
    ]);
    expect(await count('Customer')).toBe(2501);

    const result = await h.as('operator').audiences.undoImport({ id: batch.id });
    expect(result).toEqual({ removed: 2500, restored: 1 });
    expect(await count('Customer')).toBe(1);
    expect(await count('CustomerIdentity')).toBe(1);
    const old = await h.db.prisma.customer.findUniqueOrThrow({ where: { id: 'old' }, include: { tags: true } });
    expect(old.displayName).toBe('old');
    expect(JSON.parse(old.attributes)).toEqual({ 城市: '北京', 等级: '金' });
    expect(old.tags.map((t) => t.tag)).toEqual(['老客']);
    const [history] = await h.as('viewer').audiences.imports();
    expect(history).toMatchObject({ id: batch.id, status: 'undone', undoneBy: 'operator' });
    const audit = await h.db.prisma.auditEntry.findMany({ where: { targetId: batch.id }, orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['customers.import', 'customers.importUndo']);
    // Twice is refused, coded.
    await expect(h.as('operator').audiences.undoImport({ id: batch.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  }, 60_000);

  it('refuses, naming how many entered a journey, and leaves everything in place', async () => {
    h = await createHarness({ backend });
    await publishJourneyOn(h.db, 'welcome', welcomeJourney());
    const batch = await importAndWait('手机号,姓名\n13900000001,甲\n13900000002,乙\n13900000003,丙\n');
    const customers = await h.db.sql.all<{ customerId: string }>(
      'SELECT customerId FROM ImportBatchCustomer WHERE batchId = ? ORDER BY customerId',
      [batch.id],
    );
    for (const c of customers.slice(0, 2)) await h.engine.enroll('welcome', c.customerId);
    const refused = await h
      .as('operator')
      .audiences.undoImport({ id: batch.id })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe('PRECONDITION_FAILED');
    expect((refused as TRPCError).message).toContain('2 of this import');
    expect(await count('Customer')).toBe(3);
    expect((await h.as('viewer').audiences.importBatch({ id: batch.id })).status).toBe('committed');
  }, 60_000);
});
