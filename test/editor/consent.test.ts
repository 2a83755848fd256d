// A customer's consent on the profile, as an operator handles it: why and since when a channel is
// opted out (in words, not the stored reason code), opting back in only after confirming that the
// customer agreed (cancel changes nothing), opting out in one click, both recorded in the audit log
// with the channel in words; WeCom's external userid is not shown as text; a viewer sees the state
// and no buttons. Both languages.
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { describe, expect, it } from 'vitest';
import { openNav } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const PHONE = '+8613700001234';
const WECOM_ID = 'wmQx7Fz0AAAbcdEFghIJkl';

async function seed(dbPath: string): Promise<void> {
  const db = await openDatabase(dbPath);
  try {
    await db.prisma.customer.create({
      data: {
        id: 'k1',
        displayName: '张丽',
        identities: {
          create: [
            { kind: 'phone', value: PHONE },
            { kind: 'wecomExternalUserId', value: WECOM_ID },
          ],
        },
      },
    });
    // She replied TD to a marketing SMS (what the SMS webhook stores).
    await db.prisma.optOut.create({
      data: {
        channel: 'sms',
        address: PHONE,
        customerId: 'k1',
        reason: 'replied TD',
        createdAt: new Date('2026-11-20T02:30:00Z'),
      },
    });
  } finally {
    await db.close();
  }
}

const session = serverAndBrowserForFile('consent', { seed });

async function optOutsIn(dbPath: string) {
  const db = await openDatabase(dbPath);
  try {
    return await db.prisma.optOut.findMany({ orderBy: { channel: 'asc' }, select: { channel: true, reason: true } });
  } finally {
    await db.close();
  }
}

describe('consent on the customer profile', () => {
  it('says why a channel is opted out, asks before opting back in, audits both ways', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await page.goto(`${session.real.base}/#/customers/k1`);
    const sms = page.locator('[data-testid=profile-optouts] [data-channel=sms]');
    const wecom = page.locator('[data-testid=profile-optouts] [data-channel=wecom]');
    await expect.poll(() => sms.textContent()).toContain('已退订');
    expect(await sms.getByTestId('optout-reason').textContent()).toMatch(/^客户回复「TD」 · 2026\/11\/20 .* 起$/);
    expect(await wecom.textContent()).toContain('可接收');
    // WeCom's external userid is an id: the profile says the customer is linked, the id is on hover.
    const linked = page.getByTestId('identity-linked');
    expect(await linked.textContent()).toBe('已关联');
    expect(await linked.getAttribute('title')).toBe(WECOM_ID);
    expect(await page.getByTestId('customer-profile').textContent()).not.toContain(WECOM_ID);

    // Opting back in asks first; cancelling changes nothing.
    await sms.getByTestId('opt-back-in').click();
    const dialog = page.locator('.ant-modal-confirm').last();
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('该客户已退订（客户回复「TD」）');
    await page.screenshot({ path: join(shots, 'consent-01-opt-back-in-zh.png') });
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await optOutsIn(join(session.real.dir, 'siyu.db'))).toEqual([{ channel: 'sms', reason: 'replied TD' }]);

    await sms.getByTestId('opt-back-in').click();
    await page.locator('.ant-modal-confirm').last().getByRole('button', { name: '客户已同意，恢复接收' }).click();
    await expect.poll(() => sms.textContent()).toContain('可接收');
    expect(await optOutsIn(join(session.real.dir, 'siyu.db'))).toEqual([]);

    // Opting out is the safe way: one click.
    await wecom.getByTestId('opt-out').click();
    await expect.poll(() => wecom.textContent()).toContain('运营人员设为退订');
    expect(await optOutsIn(join(session.real.dir, 'siyu.db'))).toEqual([{ channel: 'wecom', reason: 'operator' }]);
    await page.screenshot({ path: join(shots, 'consent-02-profile-zh.png') });

    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect
      .poll(() => wecom.getByTestId('optout-reason').textContent())
      .toMatch(/^Opted out by an operator · since /);
    expect(await page.getByTestId('identity-linked').textContent()).toBe('Linked');
    await page.screenshot({ path: join(shots, 'consent-03-profile-en.png') });
    await page.getByRole('button', { name: '中文', exact: true }).click();

    // The audit log: who changed the consent, for which channel, in words.
    await openNav(page, 'audit');
    await page.waitForSelector('[data-testid=audit-row]');
    const rows = page.getByTestId('audit-row');
    await expect.poll(() => rows.count()).toBe(2);
    const row = (n: number) => ({
      action: rows.nth(n).locator('td').nth(2).textContent(),
      target: rows.nth(n).getByTestId('audit-target').textContent(),
      details: rows.nth(n).getByTestId('audit-details').textContent(),
    });
    const newest = row(0);
    expect(await newest.action).toBe('将客户设为退订');
    expect(await newest.target).toBe('张丽');
    expect(await newest.details).toMatch(/渠道\s*企业微信/);
    const older = row(1);
    expect(await older.action).toBe('恢复客户接收消息');
    expect(await older.details).toMatch(/渠道\s*短信/);
    await page.screenshot({ path: join(shots, 'consent-04-audit-zh.png') });

    // Her sandbox messages (none yet): the filter still names her, from her profile.
    await page.goto(`${session.real.base}/#/customers/k1`);
    await page.getByTestId('customer-inbox-link').click();
    await expect.poll(() => page.getByTestId('inbox-customer').textContent()).toContain('张丽');

    // A viewer sees the consent and has nothing to press.
    const created = await page.request.post(`${session.real.base}/trpc/operators.create`, {
      data: { username: 'viewer1', displayName: '只读同事', password: 'viewer-pass-1', role: 'viewer' },
    });
    expect(created.ok()).toBe(true);
    await page.context().clearCookies();
    await signInToEditor(page, session.real.base, 'viewer1', 'viewer-pass-1');
    await page.goto(`${session.real.base}/#/customers/k1`);
    await expect.poll(() => wecom.textContent()).toContain('已退订');
    expect(await page.locator('[data-testid=profile-optouts] button').count()).toBe(0);
  });
});
