// The team page and the staff task inbox against the real server (runtime main on a scratch SQLite
// file), in one Chromium with two contexts: the admin's, and a new colleague's who arrives by the
// one-time set-password link. The admin invites a viewer, who can read but not write and never sees
// the admin pages; disabling them ends their session. An API key is shown once, works against the
// HTTP API (it enrols two customers into a journey with a staff task), and answers 401 once revoked.
// The two tasks are completed and skipped (with a reason) in the inbox, and the counts follow. Staff
// are named from the WeCom staff directory (the sandbox's, synced at start), never by account.
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { graphOf, publishJourney } from '@siyu/runtime/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerConfirm, navOffers, openNav, pickOption } from './antd-helpers.ts';
import { signInToEditor, submitSignIn } from './editor-session.ts';
import { chromiumOptions, type RealServer, shots, startRealServer } from './real-server.ts';

async function seed(dbPath: string): Promise<void> {
  const db = await openDatabase(dbPath);
  try {
    const graph = graphOf(
      [
        ['entry', 'core.apiEntry', {}],
        [
          'call',
          'core.staffTask',
          { title: '电话回访', body: '问问{{displayName}}用得怎么样', expiresAfter: { amount: 2, unit: 'days' } },
        ],
        ['done', 'core.exit', { reason: '完成' }],
      ],
      [
        ['entry', 'next', 'call'],
        ['call', 'done', 'done'],
        ['call', 'expired', 'done'],
      ],
      { quietHours: { enabled: false } },
    );
    // The operator's name for the step, which the inbox shows.
    graph.nodes = graph.nodes.map((n) => (n.id === 'call' ? { ...n, label: '首单回访' } : n));
    publishJourney(db.sqlite, 'followup', graph);
    await db.prisma.journey.update({ where: { id: 'followup' }, data: { name: '新客首单回访' } });
    for (const [id, displayName, ownerUserId] of [
      // The sandbox's staff directory names dianzhang_sh 王芳 (synced at start).
      ['c-wang', '王小明', 'dianzhang_sh'],
      ['c-li', '李华', 'dianzhang_sh'],
    ] as const) {
      await db.prisma.customer.create({ data: { id, displayName, ownerUserId } });
    }
  } finally {
    await db.close();
  }
}

let real: RealServer;
let browser: Browser;
let adminContext: BrowserContext;
let viewerContext: BrowserContext;
beforeAll(async () => {
  real = await startRealServer('team', seed);
  browser = await chromium.launch(chromiumOptions);
  const options = { viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' as const };
  adminContext = await browser.newContext(options);
  viewerContext = await browser.newContext(options);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await real?.stop();
});

/** Calls a tRPC mutation over HTTP as another system would, with an API key; resolves with the status. */
const withKey = (key: string, path: string, input: unknown) =>
  fetch(`${real.base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(input),
  }).then((r) => r.status);

/** A mutation from inside the page, with its session cookie: the HTTP status. */
const fromPage = (page: Page, path: string, input: unknown) =>
  page.evaluate(
    ([p, i]) =>
      fetch(`/trpc/${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(i),
      }).then((r) => r.status),
    [path, input] as const,
  );

describe('the team page and the staff task inbox', () => {
  it('invites a viewer who can read but not write; disabling them ends their session', {
    timeout: 120_000,
  }, async () => {
    const admin = await adminContext.newPage();
    await signInToEditor(admin, real.base);
    await openNav(admin, 'team');
    await admin.waitForSelector('[data-testid=operators-tab]');
    await admin.getByTestId('operator-new').click();
    await admin.getByTestId('operator-username').fill('xiao.zhao');
    await admin.getByTestId('operator-display-name').fill('小赵');
    await pickOption(admin, 'operator-new-role', '只读 — 只能查看，不能修改');
    await admin.getByTestId('operator-create').click();
    const link = (await admin.getByTestId('invite-link').textContent()) ?? '';
    expect(link).toMatch(/#\/set-password\?token=inv_/);
    await admin.screenshot({ path: join(shots, 'team-01-invite-link.png') });
    await admin.getByRole('button', { name: '完成' }).click();
    const row = admin.locator('[data-testid=operator-row][data-username="xiao.zhao"]');
    await expect.poll(() => row.textContent()).toContain('待设置密码');

    // The colleague opens the link, sets a password and is signed in as a viewer.
    const viewer = await viewerContext.newPage();
    await viewer.goto(link);
    // The page's own checks, in the page's words.
    await viewer.getByTestId('set-password-new').fill('short');
    await viewer.getByTestId('set-password-repeat').fill('short');
    await viewer.getByRole('button', { name: '设置密码并登录' }).click();
    await expect.poll(() => viewer.getByRole('alert').textContent()).toBe('密码至少 8 位');
    await viewer.getByTestId('set-password-new').fill('zhao-password-1');
    await viewer.getByRole('button', { name: '设置密码并登录' }).click();
    await expect.poll(() => viewer.getByRole('alert').textContent()).toBe('两次输入的密码不一致');
    await viewer.getByTestId('set-password-new').fill('zhao-password-1');
    await viewer.getByTestId('set-password-repeat').fill('zhao-password-1');
    await viewer.getByRole('button', { name: '设置密码并登录' }).click();
    await viewer.waitForSelector('[data-testid=journey-list]');
    // No admin pages in their header; the team page by address says admins only; writes are refused.
    expect(await navOffers(viewer, 'tasks')).toBe(true);
    expect(await navOffers(viewer, 'team')).toBe(false);
    expect(await navOffers(viewer, 'audit')).toBe(false);
    await viewer.goto(`${real.base}/#/team`);
    await viewer.waitForSelector('[data-testid=admins-only]');
    expect(await fromPage(viewer, 'operators.create', { username: 'x1', displayName: 'x', role: 'admin' })).toBe(403);
    expect(await fromPage(viewer, 'staffTasks.skip', { id: 'any', note: 'x' })).toBe(403);
    // The link worked once: the admin's list shows them active.
    await admin.reload();
    await expect.poll(() => row.textContent()).toContain('启用中');

    // Made an operator, their next write gets past the role check at once (the task is just not there).
    await pickOption(admin, row.getByTestId('operator-role'), '运营');
    await expect.poll(() => row.getAttribute('data-role')).toBe('operator');
    expect(await fromPage(viewer, 'staffTasks.skip', { id: 'any', note: 'x' })).toBe(404);

    // Disabled: their next request finds no session and the app goes back to sign-in.
    await row.getByTestId('operator-disable').click();
    expect(await answerConfirm(admin, true)).toContain('停用「小赵」？');
    await expect.poll(() => row.getAttribute('data-disabled')).toBe('true');
    await openNav(viewer, 'tasks');
    await viewer.waitForSelector('[data-testid=login]');
    await submitSignIn(viewer, 'xiao.zhao', 'zhao-password-1');
    await expect.poll(() => viewer.getByTestId('login-error').textContent()).toBe('此账号已停用，请联系管理员');
    await admin.close();
    await viewer.close();
  });

  it('shows an API key once, which works over HTTP until revoked; tasks are completed and skipped with counts', {
    timeout: 120_000,
  }, async () => {
    const admin = await adminContext.newPage();
    await admin.goto(`${real.base}/#/team/api-keys`);
    await admin.waitForSelector('[data-testid=api-keys-tab]');
    await admin.getByTestId('api-key-new').click();
    await admin.getByTestId('api-key-name').fill('有赞订单同步');
    // Every scope the server knows is offered in words.
    const scopes = admin.locator('[data-scope]');
    await expect.poll(() => scopes.count()).toBe(3);
    expect(await admin.locator('.ant-modal').textContent()).toContain('让客户进入旅程');
    await admin.getByText('让客户进入旅程', { exact: true }).click();
    await admin.getByTestId('api-key-create').click();
    const key = (await admin.getByTestId('api-key-secret').textContent()) ?? '';
    expect(key).toMatch(/^sk_/);
    await admin.screenshot({ path: join(shots, 'team-02-api-key-once.png') });
    await admin.getByTestId('api-key-secret-done').click();
    // Closed, the key is nowhere on the page again.
    await expect.poll(async () => (await admin.locator('body').innerHTML()).includes(key)).toBe(false);

    // The key enrols both customers into the journey: each gets a staff task for their owner.
    for (const customerId of ['c-wang', 'c-li']) {
      expect(await withKey(key, 'runs.enroll', { journeyId: 'followup', customerId })).toBe(200);
    }
    await openNav(admin, 'tasks');
    await admin.waitForSelector('[data-testid=tasks-page]');
    const tasks = admin.locator('[data-testid=task-row]');
    await expect
      .poll(
        async () => {
          await openNav(admin, 'tasks');
          return tasks.count();
        },
        { timeout: 15_000 },
      )
      .toBe(2);
    const wang = admin.locator('[data-testid=task-row][data-customer="王小明"]');
    expect(await wang.textContent()).toContain('问问王小明用得怎么样');
    expect(await wang.textContent()).toContain('新客首单回访 · 首单回访');
    // Staff by name, never by WeCom account: the counts, each task, the filter.
    const counts = admin.locator('[data-testid=staff-count-row][data-assignee="dianzhang_sh"]');
    expect(await counts.locator('td').first().textContent()).toBe('王芳');
    expect(await wang.textContent()).toContain('王芳');
    expect(await admin.getByTestId('tasks-page').textContent()).not.toContain('dianzhang_sh');
    await pickOption(admin, 'tasks-staff', '王芳');
    await expect.poll(() => tasks.count()).toBe(2);
    await wang.getByTestId('task-complete').click();
    // Skipping needs a reason.
    const li = admin.locator('[data-testid=task-row][data-customer="李华"]');
    await li.getByTestId('task-skip').click();
    await admin.getByTestId('task-skip-confirm').click();
    await admin.getByText('请写明跳过的原因', { exact: true }).waitFor();
    await admin.getByTestId('task-skip-note').fill('客户说已经在别家买了');
    await admin.getByTestId('task-skip-confirm').click();
    const count = (status: string) => counts.locator(`[data-status=${status}]`).textContent();
    await expect
      .poll(async () => [await count('open'), await count('done'), await count('skipped'), await count('expired')])
      .toEqual(['0', '1', '1', '0']);
    // Open tasks only (the default filter): none left.
    await expect.poll(() => tasks.count()).toBe(0);
    await pickOption(admin, 'tasks-status', '已跳过');
    await expect.poll(() => tasks.count()).toBe(1);
    expect(await li.getByTestId('task-note').textContent()).toBe('客户说已经在别家买了');

    // Once in English: the inbox's words change, the customer's and journey's own names stay.
    await admin.getByRole('button', { name: 'English' }).click();
    await admin.getByRole('heading', { name: 'Staff tasks' }).waitFor();
    await pickOption(admin, 'tasks-status', 'All statuses');
    await expect.poll(() => tasks.count()).toBe(2);
    const page = (await admin.locator('[data-testid=tasks-page]').textContent()) ?? '';
    expect(page).toContain('Skipped');
    expect(page).toContain('Done');
    await admin.screenshot({ path: join(shots, 'team-03-tasks-en.png') });

    // Revoked (asked first), the key answers 401; the list says when it was last used.
    await admin.goto(`${real.base}/#/team/api-keys`);
    const keyRow = admin.locator('[data-testid=api-key-row][data-name="有赞订单同步"]');
    await expect.poll(() => keyRow.textContent()).not.toContain('Never used');
    await keyRow.getByTestId('api-key-revoke').click();
    expect(await answerConfirm(admin, true)).toContain('Revoke "有赞订单同步"?');
    await expect.poll(() => keyRow.getAttribute('data-revoked')).toBe('true');
    expect(await withKey(key, 'runs.enroll', { journeyId: 'followup', customerId: 'c-wang' })).toBe(401);
    // The staff directory the names come from, in its own tab; synced again on request.
    await admin.getByRole('tab', { name: 'WeCom staff' }).click();
    await admin.waitForSelector('[data-testid=staff-tab]');
    const staffRows = admin.locator('[data-testid=staff-row]');
    await expect.poll(() => staffRows.count()).toBe(2);
    expect(await admin.locator('[data-testid=staff-row][data-user="dianzhang_sh"]').textContent()).toContain('王芳');
    await admin.getByTestId('staff-sync').click();
    await expect
      .poll(() => admin.getByTestId('staff-sync-result').textContent())
      .toBe('Synced: WeCom listed 2, 0 added, 0 renamed, 0 deactivated.');
    expect(admin.url()).toContain('#/team/staff');
    await admin.screenshot({ path: join(shots, 'team-04-staff-en.png') });
    // The audit log is one click away, in the team page's tab bar.
    await admin.getByTestId('team-audit-link').click();
    await admin.waitForSelector('[data-testid=audit-page]');
    await admin.getByRole('button', { name: '中文' }).click();
  });
});
