// A send whose outcome is unknown, seen and decided by an operator in the editor: the seed runs the
// real sms.send node against a Tencent fake that takes the message, loses the answer and never
// reports a status, so the step is parked (customer waiting at the node). The canvas counts it on
// the node; the node's drawer lists it; "mark sent" moves the customer on without sending again.

import { join } from 'node:path';
import { createEngine, createLogger, createNodeRegistryForRuntime, ManualClock, openDatabase } from '@siyu/runtime';
import {
  createSendSmsExecutor,
  createSmsServices,
  publishJourney,
  startFakeTencent,
  tencentProvider,
} from '@siyu/runtime/testing';
import { describe, expect, it } from 'vitest';
import { answerConfirm } from './antd-helpers.ts';
import { serverAndBrowserForFile, signInToEditor, welcomeSmsGraph } from './editor-session.ts';
import { shots } from './real-server.ts';

let sentByFake = 0;

async function seedParkedSend(dbPath: string): Promise<void> {
  const creds = { secretId: 'AKID-ui', secretKey: 'k', smsSdkAppId: '1400000009' };
  const fake = await startFakeTencent(creds, { lookupLagMs: 3_600_000 });
  const db = await openDatabase(dbPath);
  try {
    publishJourney(db.sqlite, 'uo', welcomeSmsGraph());
    const now = new Date().toISOString().replace('Z', '+00:00');
    db.sqlite
      .prepare("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES ('amy', '{}', ?, ?)")
      .run(now, now);
    db.sqlite
      .prepare(
        "INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('phone', '+8613900007777', 'amy', ?)",
      )
      .run(now);
    const clock = new ManualClock(Date.now());
    const logger = createLogger('silent');
    const provider = tencentProvider({ ...creds, endpoint: fake.url, statusSettleMs: 0 });
    const engine = createEngine({
      db,
      registry: createNodeRegistryForRuntime(),
      executors: [createSendSmsExecutor(createSmsServices({ db, clock, logger, provider }))],
      clock,
      logger,
    });
    fake.loseAnswers = 1;
    await engine.enroll('uo', 'amy');
    await engine.tick();
    clock.advance(60_000);
    await engine.tick();
    await engine.stop();
    const parked = db.sqlite.prepare("SELECT count(*) n FROM OutboxEffect WHERE status = 'unknown'").get();
    if ((parked as { n: number }).n !== 1) throw new Error('seed: the send was not parked as outcome unknown');
    sentByFake = fake.sent.length;
  } finally {
    await db.close();
    await fake.close();
  }
}

const session = serverAndBrowserForFile('outcomes', { seed: seedParkedSend });

describe('sends whose outcome is unknown, in the editor', () => {
  it('counts them on the node, lists them in the drawer, and "mark sent" moves the customer on', {
    timeout: 120_000,
  }, async () => {
    expect(sentByFake).toBe(1);
    const page = await session.page();
    await signInToEditor(page, session.real.base);
    await page.locator('tbody tr', { hasText: 'uo' }).first().click();
    await page.waitForSelector('.react-flow__pane');
    const welcome = page.locator('[data-testid=journey-node][data-node-id=welcome]');
    await expect
      .poll(() => welcome.getByTestId('node-outcome-unknown').textContent(), { timeout: 15_000 })
      .toContain('1');
    await welcome.getByTestId('node-customers-open').click();
    const item = page.getByTestId('unknown-outcome');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.textContent()).toContain('+8613900007777');
    // The provider by name, not its key.
    expect(await item.textContent()).toContain('腾讯云短信');
    expect(await item.textContent()).not.toContain('tencent');
    await page.screenshot({ path: join(shots, 'outcomes-01-unknown-at-node.png') });

    // Resend and skip ask first; dismissed, nothing is decided and the customer still waits here.
    for (const name of ['重发', '跳过']) {
      await item.getByRole('button', { name }).click();
      expect(await answerConfirm(page, false)).toContain('继续？');
    }
    await page.waitForTimeout(500);
    expect(await page.getByTestId('unknown-outcome').count()).toBe(1);
    await item.getByRole('button', { name: '标记已发' }).click();
    // The server's dispatcher takes the decision: the customer leaves the node, the list empties.
    await expect.poll(() => page.getByTestId('unknown-outcome').count(), { timeout: 15_000 }).toBe(0);
    await expect
      .poll(
        () => page.locator('[data-testid=journey-node][data-node-id=done]').getByTestId('node-stats').textContent(),
        {
          timeout: 15_000,
        },
      )
      .toContain('↘ 1');
    expect(await welcome.getByTestId('node-outcome-unknown').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'outcomes-02-marked-sent.png') });
  });
});
