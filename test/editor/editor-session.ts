// What most editor browser test files do first: start the real server (optionally seeded) and one
// Chromium profile in its scratch folder for the whole file, and sign in through the login form.
import { join } from 'node:path';
import { graphOf } from '@siyu/runtime/testing';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN_PASSWORD, chromiumOptions, type RealServer, startRealServer } from './real-server.ts';

type ContextOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

export interface ServerAndBrowser {
  /** The running server; read it inside tests (it is set by the file's beforeAll). */
  readonly real: RealServer;
  /** The Chromium profile, in the server's scratch folder. */
  readonly context: BrowserContext;
  /** The profile's open tab, or a new one when it has none. */
  page(): Promise<Page>;
}

/**
 * Registers the calling file's beforeAll and afterAll: `startRealServer(name, seed)`, then a
 * persistent Chromium context (1440×900 unless `context` says otherwise); both stopped after the
 * file's tests. Call it at the top level of a test file.
 */
export function serverAndBrowserForFile(
  name: string,
  options: { seed?: (dbPath: string) => Promise<void>; env?: Record<string, string>; context?: ContextOptions } = {},
): ServerAndBrowser {
  let real: RealServer | undefined;
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    real = await startRealServer(name, options.seed, options.env);
    context = await chromium.launchPersistentContext(join(real.dir, 'profile'), {
      ...chromiumOptions,
      viewport: { width: 1440, height: 900 },
      ...options.context,
    });
  }, 180_000);
  afterAll(async () => {
    await context?.close();
    await real?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`${name}: the server and browser are started in beforeAll`);
    return value;
  };
  return {
    get real() {
      return started(real);
    },
    get context() {
      return started(context);
    },
    async page() {
      const ctx = started(context);
      return ctx.pages()[0] ?? (await ctx.newPage());
    },
  };
}

/** Fills the login form on `page` and submits it (no waiting: callers wait for what they expect). */
export async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.locator('input').nth(0).fill(username);
  await page.locator('input').nth(1).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/**
 * Opens the editor at `base`, signs in (the admin by default) and waits for the journey list. With
 * `alreadySignedIn: 'ok'` a profile that is still signed in (an earlier test in the file) just
 * gets the journey list; otherwise the login form is required.
 */
export async function signInToEditor(
  page: Page,
  base: string,
  username = 'admin',
  password = ADMIN_PASSWORD,
  options: { alreadySignedIn?: 'ok' } = {},
): Promise<void> {
  await page.goto(`${base}/`);
  if (options.alreadySignedIn === 'ok') {
    await page.waitForSelector('[data-testid=login], [data-testid=journey-list]');
    if ((await page.getByTestId('login').count()) === 0) return;
  } else {
    await page.waitForSelector('[data-testid=login]');
  }
  await submitSignIn(page, username, password);
  await page.waitForSelector('[data-testid=journey-list]');
}

/** A published journey's graph: API entry → sms.send 'welcome' (template 2001) → exit, quiet hours off. */
export function welcomeSmsGraph(): ReturnType<typeof graphOf> {
  return graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      ['welcome', 'sms.send', { templateCode: '2001', signName: '品牌', content: '欢迎入会', params: {} }],
      ['done', 'core.exit', { reason: '完成' }],
    ],
    [
      ['entry', 'next', 'welcome'],
      ['welcome', 'sent', 'done'],
    ],
    { quietHours: { enabled: false } },
  );
}
