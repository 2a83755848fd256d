// The customers page and the tags page against the real server (one server, one browser): search
// by phone and by attribute, 人群圈选 with three conditions whose live count is the true number, the
// segment saved, the list exported as CSV (downloaded and read), then tags renamed, merged and
// deleted with the counts checked after each, and the tags page in English.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { describe, expect, it } from 'vitest';
import { openNav, pickOption } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const DAY = 86_400_000;
const N = 20;
const idOf = (i: number) => `c${String(i).padStart(2, '0')}`;
/** Customer i: 北京 when i is a multiple of 3 (else 上海); VIP when even; paid twice lately when even and ≤ 12. */
const city = (i: number) => (i % 3 === 0 ? '北京' : '上海');
const tagsOf = (i: number) => [
  ...(i % 2 === 0 ? ['VIP'] : []),
  ...(i % 5 === 0 ? ['新客'] : []),
  ...(i % 4 === 0 ? ['老客'] : []),
  ...(i === 7 || i === 8 ? ['待删除'] : []),
];
const paysLately = (i: number) => i % 2 === 0 && i <= 12;
const range = Array.from({ length: N }, (_, k) => k + 1);
const count = (p: (i: number) => boolean) => range.filter(p).length;

async function seed(dbPath: string): Promise<void> {
  const db = await openDatabase(dbPath);
  try {
    const now = Date.now();
    for (const i of range) {
      await db.prisma.customer.create({
        data: {
          id: idOf(i),
          displayName: `客户${i}`,
          attributes: JSON.stringify({ city: city(i), 等级: i % 2 ? '普通' : '金卡' }),
          identities: { create: [{ kind: 'phone', value: `+86137000000${String(i).padStart(2, '0')}` }] },
          tags: { create: tagsOf(i).map((tag) => ({ tag })) },
        },
      });
      // Paid twice in the last 10 days; customer 16 twice 60 days ago; 14 once lately.
      const paid = paysLately(i) ? [2, 9] : i === 16 ? [60, 61] : i === 14 ? [3] : [];
      for (const [k, daysAgo] of paid.entries()) {
        const at = BigInt(now - daysAgo * DAY);
        await db.prisma.event.create({
          data: {
            externalId: `p-${i}-${k}`,
            type: 'order.paid',
            customerId: idOf(i),
            occurredAt: at,
            receivedAt: at,
            data: '{}',
          },
        });
      }
    }
    await db.prisma.journey.create({
      data: {
        id: 'j-care',
        name: '会员关怀',
        draft: JSON.stringify({ nodes: [{ config: { tag: '待删除' } }], edges: [] }),
      },
    });
  } finally {
    await db.close();
  }
}

const session = serverAndBrowserForFile('customers-tags', { seed });

describe('customers and tags pages', () => {
  it('searches, builds and saves a segment with a true live count, exports it, and manages tags', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await openNav(page, 'customers');
    await page.waitForSelector('[data-testid=customers-page]');
    const rows = page.getByTestId('customer-row');
    const total = page.getByTestId('customers-total');
    await expect.poll(() => total.textContent()).toBe(`共 ${N} 位客户`);

    // By phone, typed with spaces: one customer.
    await page.getByTestId('customer-search').fill('137 0000 0007');
    await expect.poll(() => rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-id')))).toEqual(['c07']);
    await page.getByTestId('customer-search').fill('');
    // By attribute: city = 北京.
    await pickOption(page, 'customer-search-attribute', 'city');
    await page.getByTestId('customer-search-attribute-value').fill('北京');
    await expect.poll(() => total.textContent()).toBe(`共 ${count((i) => city(i) === '北京')} 位客户`);

    // 人群圈选: VIP AND city 上海 AND paid at least twice in the last 30 days.
    await page.getByTestId('customers-mode').getByText('人群圈选').click();
    const segmentCount = async () => {
      const el = page.getByTestId('segment-count');
      await expect.poll(() => el.getAttribute('data-pending')).toBe('false');
      return Number(await el.getAttribute('data-count'));
    };
    const row = (n: number) => page.getByTestId('segment-row').nth(n);
    await pickOption(page, row(0).getByTestId('segment-row-tag'), 'VIP');
    await expect.poll(segmentCount).toBe(count((i) => i % 2 === 0));
    await page.getByTestId('segment-add-row').click();
    await pickOption(page, row(1).getByTestId('segment-row-kind'), '客户属性');
    await pickOption(page, row(1).getByTestId('segment-row-attribute'), 'city');
    await row(1).getByTestId('segment-row-value').fill('上海');
    await expect.poll(segmentCount).toBe(count((i) => i % 2 === 0 && city(i) === '上海'));
    await page.getByTestId('segment-add-row').click();
    await pickOption(page, row(2).getByTestId('segment-row-kind'), '行为事件');
    await pickOption(page, row(2).getByTestId('segment-row-event'), '支付订单');
    // antd puts the test id on the number input itself.
    await row(2).locator('input[data-testid=segment-row-times], [data-testid=segment-row-times] input').fill('2');
    const members = range.filter((i) => i % 2 === 0 && city(i) === '上海' && paysLately(i)).map(idOf);
    await expect.poll(segmentCount).toBe(members.length);
    expect(members.length).toBe(4);
    await expect.poll(() => total.textContent()).toBe(`共 ${members.length} 位客户`);
    expect((await page.getByTestId('segment-count').textContent())?.trim()).toBe(`符合条件：${members.length} 人`);

    // Saved by name, it is listed.
    await page.getByTestId('segment-save').click();
    await page.getByTestId('segment-name').fill('上海 VIP 复购');
    await page.getByTestId('segment-save-ok').click();
    await page.locator('[data-testid=saved-segment][data-name="上海 VIP 复购"]').waitFor();
    await page.screenshot({ path: join(shots, 'customers-01-segment.png'), fullPage: true });

    // The CSV of the segment: downloaded, UTF-8 with BOM, one row per member.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('customers-export').click()]);
    const bytes = readFileSync((await download.path()) as string);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('客户 ID,姓名,手机号,标签,渠道,创建时间,city,等级,其他属性');
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(members);
    // A phone's leading + is escaped like a formula's =, so Excel shows it as text.
    expect(lines.find((l) => l.startsWith('c02,'))).toContain(`客户2,"'+8613700000002",VIP`);

    // Tags: counts, rename, merge, delete.
    await openNav(page, 'tags');
    await page.waitForSelector('[data-testid=tags-page]');
    const tagRow = (tag: string) => page.locator(`[data-testid=tag-row][data-tag="${tag}"]`);
    const customersOf = (tag: string) => tagRow(tag).getAttribute('data-customers').then(Number);
    await expect.poll(() => customersOf('VIP')).toBe(count((i) => i % 2 === 0));
    expect(await customersOf('新客')).toBe(count((i) => i % 5 === 0));

    await tagRow('新客').getByTestId('tag-rename').click();
    await page.getByTestId('tag-new-name').fill('新会员');
    await page.getByTestId('tag-move-ok').click();
    await expect.poll(() => customersOf('新会员')).toBe(count((i) => i % 5 === 0));
    expect(await tagRow('新客').count()).toBe(0);

    // Merging 新会员 into 老客: everyone with either ends with 老客 once.
    await tagRow('新会员').getByTestId('tag-merge').click();
    await pickOption(page, 'tag-merge-into', '老客');
    await page.getByTestId('tag-move-ok').click();
    await expect.poll(() => customersOf('老客')).toBe(count((i) => i % 5 === 0 || i % 4 === 0));
    expect(await tagRow('新会员').count()).toBe(0);

    // Deleting asks first, naming the customers and the journey that names the tag.
    await tagRow('待删除').getByTestId('tag-delete').click();
    const impact = page.getByTestId('tag-delete-impact');
    await impact.waitFor();
    expect(await impact.textContent()).toBe('将从 2 位客户身上移除这个标签。仍写着它的旅程：会员关怀');
    await page.locator('.ant-modal-confirm-btns button').nth(1).click();
    await expect.poll(() => tagRow('待删除').count()).toBe(0);
    expect(await customersOf('VIP')).toBe(count((i) => i % 2 === 0));

    // In English.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Tags', exact: true }).waitFor();
    await tagRow('老客').getByRole('button', { name: 'Merge into…' }).waitFor();
    await page.screenshot({ path: join(shots, 'customers-02-tags-en.png'), fullPage: true });
    await openNav(page, 'customers');
    await page.getByTestId('customers-mode').getByText('Segment builder').click();
    await page.getByText('Saved segments').waitFor();
    await page.screenshot({ path: join(shots, 'customers-03-segment-en.png'), fullPage: true });
  });
});
