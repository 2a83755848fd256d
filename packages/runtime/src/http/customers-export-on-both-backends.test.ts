// The customers list's server side on SQLite and PostgreSQL: a segment's members page by page,
// the builder's pickers, and the CSV export (streamed, UTF-8 with BOM, formula-safe).
import type { Server } from 'node:http';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { addCustomer, createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import { createApp } from './app.ts';

const DAY = 86_400_000;
const open: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close();
});

async function serve(backend: 'sqlite' | 'postgresql') {
  const h: Harness<AppDatabase> = await createHarness({ backend });
  const app = createApp({ db: h.db, editorDist: '/nonexistent', api: h.deps });
  const { server, base } = await listenOnLoopback(app);
  open.push(async () => {
    await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
    await h.close();
  });
  return { h, base };
}

async function paid(h: Harness<AppDatabase>, id: string, customerId: string, daysAgo: number) {
  const at = BigInt(h.clock.now() - daysAgo * DAY);
  await h.db.prisma.event.create({
    data: { externalId: id, type: 'order.paid', customerId, occurredAt: at, receivedAt: at, data: '{}' },
  });
}

describe.each(['sqlite', 'postgresql'] as const)('customers list and export on %s', (backend) => {
  it('pages a segment, offers its fields, and exports a search or a segment as CSV', async () => {
    const { h, base } = await serve(backend);
    await addCustomer(h, '王芳', { phone: '+8613711112222', tags: ['VIP'], attributes: { city: '上海', 等级: '金' } });
    await addCustomer(h, '=HYPERLINK("x")', { phone: '+8613800000000', tags: ['VIP'], attributes: { city: '北京' } });
    await addCustomer(h, 'c3', { tags: ['新客'], attributes: { city: '上海' } });
    await paid(h, 'e1', '王芳', 2);
    await paid(h, 'e2', '王芳', 3);
    await paid(h, 'e3', 'c3', 40);
    const viewer = h.as('viewer');
    const filter = {
      match: 'all' as const,
      conditions: [{ field: 'attributes.city', op: 'eq' as const, value: '上海' }],
      groups: [
        {
          match: 'any' as const,
          rules: [
            { event: 'order.paid', op: 'atLeast' as const, times: 2, period: { lastDays: 30 } },
            { field: 'tags', op: 'hasTag' as const, value: '新客' },
          ],
        },
      ],
    };
    expect((await viewer.audiences.previewSegment({ filter })).size).toBe(2);
    const page = await viewer.customers.segmentPage({ filter, limit: 1, offset: 1 });
    expect(page.total).toBe(2);
    expect(page.items.map((c) => c.id)).toEqual(['王芳']);
    expect(page.items[0]).toMatchObject({ phone: '+8613711112222', tags: ['VIP'], attributes: { city: '上海' } });
    const fields = await viewer.customers.segmentFields();
    expect(fields.attributeKeys).toEqual(['city', '等级']);
    expect(fields.eventTypes).toContain('order.paid');

    const exportUrl = (q: unknown) => `${base}/exports/customers.csv?q=${encodeURIComponent(JSON.stringify(q))}`;
    const q = { lang: 'en', of: { search: { tags: ['VIP'] } } };
    const anonymous = await fetch(exportUrl(q));
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { key: string } }).error.key).toBe('auth.signInRequired');
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'viewer', password: 'secret-password' }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const bad = await fetch(exportUrl({ of: { search: { tags: 'VIP' } } }), { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { key: string; message: string } }).error).toMatchObject({
      key: 'customers.exportQueryInvalid',
      message: expect.stringContaining('q.of'),
    });

    const res = await fetch(exportUrl(q), { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="customers-\d{4}-\d\d-\d\d\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = Papa.parse<string[]>(new TextDecoder().decode(bytes.slice(3)), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([
      'Customer id',
      'Name',
      'Phone',
      'Tags',
      'Channel',
      'Created',
      'city',
      '等级',
      'Other attributes',
    ]);
    const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect(rows).toHaveLength(3);
    // A formula is text; so is a phone's leading +; Chinese survives.
    expect(byId.get(`'=HYPERLINK("x")`)?.slice(1, 4)).toEqual([`'=HYPERLINK("x")`, "'+8613800000000", 'VIP']);
    expect(byId.get('王芳')?.slice(6, 8)).toEqual(['上海', '金']);

    const segmentCsv = await (await fetch(exportUrl({ of: { filter } }), { headers: { cookie } })).text();
    const segmentRows = Papa.parse<string[]>(segmentCsv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(segmentRows[0]?.[0]).toBe('客户 ID');
    expect(
      segmentRows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['c3', '王芳']);
  }, 30_000);
});
