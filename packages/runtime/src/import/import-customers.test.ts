import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { importCustomers } from './import-customers.ts';
import { previewImport } from './preview-import.ts';

const cleanups = cleanupAfterEach();
let db: Database;
beforeEach(async () => {
  db = await scratchDatabase('import', cleanups);
});

const count = (table: string) => (db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('importCustomers', () => {
  it('reads GBK without BOM, UTF-8 with BOM, and maps Chinese headers', async () => {
    const csv = '手机号,姓名,标签,城市\n138 1234 5678,张三,VIP，复购,上海\n+86 139-0000-0001,李四,,北京\n';
    const gbk = await importCustomers(db, iconv.encode(csv, 'gbk'), { fileName: 'a.csv', mode: 'strict' });
    expect(gbk).toMatchObject({ status: 'committed', encoding: 'gbk', created: 2, updated: 0, rejected: 0 });
    const zhang = db.sqlite
      .prepare(
        "SELECT c.displayName, c.attributes FROM Customer c JOIN CustomerIdentity i ON i.customerId = c.id WHERE i.value = '+8613812345678'",
      )
      .get() as { displayName: string; attributes: string };
    expect(zhang.displayName).toBe('张三');
    expect(JSON.parse(zhang.attributes)).toEqual({ 城市: '上海' });
    expect(count('CustomerTag')).toBe(2);

    const bom = await importCustomers(db, utf8(`\uFEFF${csv.replace('上海', '杭州')}`), {
      fileName: 'b.csv',
      mode: 'strict',
    });
    expect(bom).toMatchObject({ status: 'committed', encoding: 'utf-8-bom', created: 0, updated: 2 });
    expect(count('Customer')).toBe(2);
    const customer = await db.prisma.customer.findFirst({ where: { displayName: '张三' } });
    expect(JSON.parse(customer?.attributes ?? '{}')).toEqual({ 城市: '杭州' });
  });

  it('stamps rows and the batch with the server clock it is given (simulated time in playbooks)', async () => {
    const at = Date.UTC(2026, 10, 11, 0, 0);
    await importCustomers(db, utf8('手机号\n13812345678\n'), { fileName: 'a.csv', mode: 'strict', now: () => at });
    const row = (sql: string) => db.sqlite.prepare(sql).get() as Record<string, string>;
    expect(new Date(row('SELECT createdAt FROM Customer').createdAt).getTime()).toBe(at);
    expect(new Date(row('SELECT finishedAt FROM ImportBatch').finishedAt).getTime()).toBe(at);
  });

  it('reads the first sheet of an XLSX file', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('客户');
    sheet.addRow(['手机', '昵称', '会员编号']);
    sheet.addRow(['13800000001', '王五', 'M-1']);
    sheet.addRow([13800000002, '赵六', 'M-2']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const report = await importCustomers(db, bytes, { fileName: 'c.xlsx', mode: 'strict' });
    expect(report).toMatchObject({ status: 'committed', format: 'xlsx', created: 2 });
    expect(count('CustomerIdentity')).toBe(4);
  });

  it('strict mode writes nothing when one row is bad and reports it by row number', async () => {
    const csv = 'phone,name\n13800000001,a\n12345,b\n13800000003,c\n';
    const report = await importCustomers(db, utf8(csv), { fileName: 'd.csv', mode: 'strict' });
    expect(report.status).toBe('rejected');
    expect(report.problems).toEqual([
      {
        row: 3,
        column: 'phone',
        code: 'phoneInvalid',
        value: '12345',
        reason: expect.stringContaining('invalid phone number "12345"'),
      },
    ]);
    expect(count('Customer')).toBe(0);
    const lenient = await importCustomers(db, utf8(csv), { fileName: 'd.csv', mode: 'skipInvalid' });
    expect(lenient).toMatchObject({ status: 'committed', created: 2, rejected: 1 });
    expect(count('ImportBatch')).toBe(2);
  });

  it('rejects a file whose header names no identity column', async () => {
    const report = await importCustomers(db, utf8('name,city\na,b\n'), { fileName: 'e.csv', mode: 'skipInvalid' });
    expect(report.status).toBe('rejected');
    expect(count('Customer')).toBe(0);
  });

  it('a database error mid-import leaves nothing written', async () => {
    // A trigger that fails on the 50,000th customer simulates a disk/constraint error mid-transaction.
    db.sqlite.exec(`CREATE TRIGGER boom BEFORE INSERT ON Customer WHEN (SELECT count(*) FROM Customer) >= 49999
      BEGIN SELECT RAISE(ABORT, 'simulated failure'); END`);
    const report = await importCustomers(db, generateCsv(60_000, { duplicates: 0, bad: 0 }), {
      fileName: 'f.csv',
      mode: 'skipInvalid',
    });
    expect(report.status).toBe('failed');
    expect(report.error).toContain('simulated failure');
    expect(report.created).toBe(0);
    expect(count('Customer')).toBe(0);
    expect(count('CustomerIdentity')).toBe(0);
    expect(count('CustomerTag')).toBe(0);
  }, 60_000);

  it('imports 100,000 rows with duplicates and bad rows in under 30 s with exact counts', async () => {
    // 1,000 pre-existing customers are matched, not duplicated.
    await importCustomers(db, generateCsv(1_000, { duplicates: 0, bad: 0 }), { fileName: 'seed.csv', mode: 'strict' });
    const bytes = iconv.encode(new TextDecoder().decode(generateCsv(100_000, { duplicates: 2_000, bad: 500 })), 'gbk');
    const started = performance.now();
    const report = await importCustomers(db, bytes, { fileName: 'big.csv', mode: 'skipInvalid', tags: ['导入'] });
    const seconds = (performance.now() - started) / 1000;
    console.log(`100k-row GBK import: ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(30);
    expect(report).toMatchObject({
      status: 'committed',
      encoding: 'gbk',
      totalRows: 100_000,
      duplicates: 2_000,
      rejected: 500,
      // 6 of the 1,000 seeded phones sit on bad rows (every 196th row) of the big file.
      created: 97_500 - 994,
      updated: 994,
    });
    expect(report.problems).toHaveLength(2_500);
    expect(report.problems[0]?.row).toBeGreaterThan(1);
    expect(count('Customer')).toBe(97_500 + 6);
    expect(count('CustomerTag')).toBe(97_500 * 2 + 6); // '新客' + '导入' per imported row; 6 seed-only customers keep '新客'
  }, 120_000);
});

/**
 * `rows` data rows: unique phones 13900000000+i, then the last `duplicates` rows repeat earlier
 * phones, and `bad` rows (spread through the file) carry an invalid phone.
 */
function generateCsv(rows: number, { duplicates, bad }: { duplicates: number; bad: number }): Uint8Array {
  const lines = ['手机号,姓名,标签,城市,会员等级'];
  const badEvery = bad > 0 ? Math.floor((rows - duplicates) / bad) : 0;
  let badLeft = bad;
  for (let i = 0; i < rows - duplicates; i++) {
    if (badEvery && i % badEvery === 0 && badLeft > 0) {
      badLeft--;
      lines.push(`1${String(i).padStart(4, '0')},坏行${i},,上海,金卡`);
      continue;
    }
    lines.push(`139${String(i).padStart(8, '0')},客户${i},新客,上海,金卡`);
  }
  for (let d = 0; d < duplicates; d++) {
    lines.push(`139${String(d * 7 + 1).padStart(8, '0')},重复${d},,北京,银卡`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

describe('importCustomers from a shop order export', () => {
  it('makes one customer per buyer and one order per row, rejecting bad amounts/times and repeated order ids', async () => {
    const csv = [
      '订单编号,收货人手机,收货人,实付金额,订单付款时间,店铺',
      'T1,13812345678,张三,"¥1,299.00",2026-11-11 00:05:00,天猫旗舰店',
      'T2,13812345678,张三,59.9,2026/11/20 9:30,天猫旗舰店',
      'T3,13900000001,李四,免费,2026-11-11 10:00:00,京东',
      'T4,13900000002,王五,10,昨天,京东',
      'T1,13900000003,赵六,10,2026-11-12 10:00:00,京东',
      'T5,13900000004,钱七,20.5,2026-11-12 10:00:00,抖音',
      '',
    ].join('\n');
    const report = await importCustomers(db, utf8(csv), { fileName: 'orders.csv', mode: 'skipInvalid' });
    expect(report).toMatchObject({
      status: 'committed',
      created: 2,
      updated: 0,
      orders: 3,
      rejected: 2,
      duplicates: 1,
    });
    expect(report.problems.map((p) => p.row)).toEqual([4, 5, 6]);
    expect(report.problems[0]?.reason).toContain('免费');
    expect(report.problems[2]?.reason).toContain('第 2 行');
    const orders = db.sqlite.prepare('SELECT id, amountCents, placedAt FROM "Order" ORDER BY id').all();
    expect(orders).toEqual([
      { id: 'T1', amountCents: 129900, placedAt: '2026-11-10T16:05:00.000+00:00' },
      { id: 'T2', amountCents: 5990, placedAt: '2026-11-20T01:30:00.000+00:00' },
      { id: 'T5', amountCents: 2050, placedAt: '2026-11-12T02:00:00.000+00:00' },
    ]);
    // Order columns are not customer attributes; the shop column is.
    const zhang = db.sqlite.prepare("SELECT attributes FROM Customer WHERE displayName = '张三'").get() as {
      attributes: string;
    };
    expect(JSON.parse(zhang.attributes)).toEqual({ 店铺: '天猫旗舰店' });
    // Importing the same export again adds no order and updates the two customers.
    const again = await importCustomers(db, utf8(csv), { fileName: 'orders.csv', mode: 'skipInvalid' });
    expect(again).toMatchObject({ created: 0, updated: 2, orders: 0 });
    expect(count('"Order"')).toBe(3);
  });
});

describe('importing an export whose columns the guesser does not know', () => {
  const crm = 'Tel (mobile),Member,Full name,Level\n13800000011,M-1,王五,gold\n13800000012,M-2,赵六,silver\n';

  it('rejects it unmapped, saying to choose the phone column; imports it once mapped', async () => {
    const bytes = iconv.encode(crm, 'gbk');
    const unmapped = await importCustomers(db, bytes, { fileName: 'crm.csv', mode: 'strict' });
    expect(unmapped).toMatchObject({ status: 'rejected', created: 0, rejected: 2 });
    expect(unmapped.problems[0]?.reason).toMatch(/say which column holds the phone/);
    expect(count('Customer')).toBe(0);

    const mapped = await importCustomers(db, bytes, {
      fileName: 'crm.csv',
      mode: 'strict',
      mapping: { 'Tel (mobile)': 'phone', Member: 'externalId', 'Full name': 'name', Level: 'attribute:等级' },
    });
    expect(mapped).toMatchObject({ status: 'committed', encoding: 'gbk', created: 2, rejected: 0 });
    const wang = await db.prisma.customer.findFirstOrThrow({
      where: { displayName: '王五' },
      include: { identities: true },
    });
    expect(JSON.parse(wang.attributes)).toEqual({ 等级: 'gold' });
    expect(wang.identities.map((i) => [i.kind, i.value]).sort()).toEqual([
      ['externalId', 'M-1'],
      ['phone', '+8613800000011'],
    ]);
  });

  it('fails before writing anything when the mapping names a column the file lacks', async () => {
    await expect(
      importCustomers(db, utf8(crm), { fileName: 'crm.csv', mode: 'strict', mapping: { Mobile: 'phone' } }),
    ).rejects.toThrow(/no column "Mobile"/);
    expect(count('Customer')).toBe(0);
  });
});

describe('choosing the worksheet of a workbook', () => {
  async function twoSheets() {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRows([['本表由 CRM 导出'], ['请看第二个工作表']]);
    workbook.addWorksheet('会员').addRows([
      ['Tel (mobile)', '姓名'],
      ['13800000031', '钱七'],
    ]);
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  }

  it('previews the sheets, imports the one chosen, and names a sheet that is not there', async () => {
    const bytes = await twoSheets();
    const first = await previewImport(bytes);
    expect(first).toMatchObject({ format: 'xlsx', sheets: ['说明', '会员'], sheet: '说明', identifiable: false });
    const members = await previewImport(bytes, { 'Tel (mobile)': 'phone' }, { sheet: '会员' });
    expect(members).toMatchObject({
      sheet: '会员',
      totalRows: 1,
      identifiable: true,
      sample: [['13800000031', '钱七']],
    });
    const report = await importCustomers(db, bytes, {
      fileName: 'crm.xlsx',
      mode: 'strict',
      sheet: '会员',
      mapping: { 'Tel (mobile)': 'phone' },
    });
    expect(report).toMatchObject({ status: 'committed', created: 1 });
    await expect(previewImport(bytes, {}, { sheet: 'Sheet1' })).rejects.toThrow(
      /no sheet "Sheet1" \(it has: 说明, 会员\)/,
    );
  });
});

describe('hostile headers', () => {
  it('stores a column headed __proto__ as an attribute of that name, touching no prototype', async () => {
    const report = await importCustomers(db, utf8('手机号,__proto__,constructor\n13800000041,x,y\n'), {
      fileName: 'evil.csv',
      mode: 'strict',
    });
    expect(report).toMatchObject({ status: 'committed', created: 1 });
    const customer = await db.prisma.customer.findFirstOrThrow();
    expect(JSON.parse(customer.attributes)).toEqual(JSON.parse('{"__proto__":"x","constructor":"y"}'));
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
