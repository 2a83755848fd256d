// Credentials in the editor against the real server (`src/main.ts` on a scratch SQLite file): an
// admin creates a webhook signing credential on the 凭据 page (a password field), the list says
// the secret is set without ever receiving it, the edit form's password field stays empty, and a
// webhook node's inspector picks the credential by name. The secret never reaches the browser's
// API answers, and the database files hold it only encrypted.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@siyu/runtime';
import { graphOf, publishJourney } from '@siyu/runtime/testing';
import { describe, expect, it } from 'vitest';
import { openNav } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor } from './editor-session.ts';
import { shots } from './real-server.ts';

const SECRET = 'whsec-editor-9f1c2b7d4e-do-not-leak';

async function seed(dbPath: string): Promise<void> {
  const db = await openDatabase(dbPath);
  try {
    publishJourney(
      db.sqlite,
      'wh',
      graphOf(
        [
          ['entry', 'core.apiEntry', {}],
          ['hook', 'core.webhook', { url: 'https://example.com/hook', payload: {}, timeoutSeconds: 5 }],
          ['done', 'core.exit', { reason: 'done' }],
        ],
        [
          ['entry', 'next', 'hook'],
          ['hook', 'ok', 'done'],
        ],
      ),
    );
  } finally {
    await db.close();
  }
}

const session = serverAndBrowserForFile('credentials', { seed });

describe('credentials in the editor (凭据)', () => {
  it('creates a credential with a password field, never shows the secret again, and a node picks it by name', {
    timeout: 120_000,
  }, async () => {
    const page = await session.page();
    // Every API answer the page receives, to check none carries the secret.
    const answers: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/trpc/'))
        void r.text().then(
          (t) => answers.push(t),
          () => {},
        );
    });
    await signInToEditor(page, session.real.base);

    await openNav(page, 'credentials');
    await page.waitForSelector('[data-testid=credentials-page]');
    await page.getByTestId('credential-new-core.webhookSigning').click();
    const secret = page.locator('[data-secret="secret"]');
    expect(await secret.getAttribute('type')).toBe('password');
    // Saving without a name or secret: the form names both fields.
    await page.getByTestId('credential-save').click();
    await expect.poll(() => page.locator('[data-testid=credential-form] .field-message').count()).toBeGreaterThan(0);
    await page.getByTestId('credential-name').fill('CRM 签名');
    await secret.fill(SECRET);
    await page.getByTestId('credential-save').click();
    const row = page.locator('[data-credential="CRM 签名"]');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('签名密钥：已设置');
    await page.screenshot({ path: join(shots, 'credentials-01-list.png') });
    // Deleting asks first, naming the credential; dismissed, it stays.
    await row.getByRole('button', { name: '删除' }).click();
    const asked = page.locator('.ant-popconfirm:visible');
    await asked.getByText('删除凭据「CRM 签名」？', { exact: true }).waitFor();
    expect(await asked.textContent()).toContain('使用它的节点将无法发送');
    await asked.getByRole('button', { name: '取消' }).click();
    await asked.waitFor({ state: 'hidden' });
    expect(await row.count()).toBe(1);
    // In English: only the credential's own name (and the 中文 switch) is left in Chinese.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await expect.poll(() => row.textContent()).toContain('Signing secret: set');
    const pageEn = (await page.getByTestId('credentials-page').textContent()) ?? '';
    expect(pageEn.replaceAll('CRM 签名', '').replace('中文', '')).not.toMatch(/[\u4e00-\u9fff]/);
    await page.screenshot({ path: join(shots, 'credentials-01-list-en.png') });
    await page.getByRole('button', { name: '中文', exact: true }).click();
    await expect.poll(() => row.textContent()).toContain('签名密钥：已设置');

    // The edit form's password field is empty and says the secret is set; saving keeps it.
    await row.getByRole('button', { name: '编辑' }).click();
    const again = page.locator('[data-secret="secret"]');
    expect(await again.inputValue()).toBe('');
    expect(await again.getAttribute('placeholder')).toBe('已设置（留空则不变）');
    await page.getByTestId('credential-save').click();
    await expect.poll(() => page.getByTestId('credential-form').count()).toBe(0);
    expect(await row.textContent()).toContain('签名密钥：已设置');

    // The webhook node's inspector offers the credential by name; choosing it saves only the id.
    await openNav(page, 'journeys');
    await page.locator('tbody tr', { hasText: 'wh' }).first().click();
    await page.waitForSelector('.react-flow__pane');
    await page.locator('[data-testid=journey-node][data-node-id=hook]').click();
    const picker = page.locator('.inspector [data-field="credentialId"] select[data-picker=credential]');
    await expect.poll(() => picker.locator('option').allTextContents()).toContain('CRM 签名');
    await picker.selectOption({ label: 'CRM 签名' });
    await page.screenshot({ path: join(shots, 'credentials-02-node-picker.png') });
    expect(await page.locator('body').textContent()).not.toMatch(/cred_/);
    await expect
      .poll(
        async () => {
          const res = await page.request.get(
            `${session.real.base}/trpc/journeys.get?input=${encodeURIComponent(JSON.stringify({ id: 'wh' }))}`,
          );
          const draft = (
            (await res.json()) as {
              result: { data: { draft: { nodes: { id: string; config: Record<string, unknown> }[] } } };
            }
          ).result.data.draft;
          return String(draft.nodes.find((n) => n.id === 'hook')?.config.credentialId ?? '');
        },
        { timeout: 15_000 },
      )
      .toMatch(/^cred_/);

    expect(answers.length).toBeGreaterThan(3);
    expect(answers.join('\n')).not.toContain(SECRET);
    const files = readdirSync(session.real.dir).filter((f) => f.startsWith('siyu.db'));
    expect(files.map((f) => readFileSync(join(session.real.dir, f)).toString('latin1')).join('')).not.toContain(SECRET);
  });
});
