// Crash safety of real sends, where a duplicate costs money: SIGKILL the runtime again and again while a
// backlog of SMS sits in the outbox, with the real sms.send node talking to a local Aliyun fake that does
// NOT de-duplicate (every SendSms it accepts is a message; it counts every request). A send whose answer
// died with the process must be reconciled with the provider (QuerySendDetails by OutId), never failed and
// never sent twice: 0 customers lost, 0 duplicate sends, 0 timers unfired.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@siyu/runtime';
import { type CrashChild, type FakeSms, spawnCrashChild, startFakeAliyun } from '@siyu/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CUSTOMERS = 2000;
const KILLS = 8;
const child = fileURLToPath(new URL('./runtime-crash-sms-child.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'siyu-crash-sms-'));
const dbPath = join(dir, 'crash.db');
let fake: FakeSms;
beforeAll(async () => {
  // Its records show in QuerySendDetails 300 ms after the send, as Aliyun's lag behind SendSms.
  fake = await startFakeAliyun({ accessKeyId: 'LTAI-crash', accessKeySecret: 'crash-secret' }, { lookupLagMs: 300 });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (mode: 'kill' | 'finish'): CrashChild =>
  spawnCrashChild(child, [dbPath, String(CUSTOMERS), mode, fake.url]);

describe('runtime crash safety with a real SMS provider contract', () => {
  it('SIGKILLs during the outbox backlog: 0 customers lost, 0 duplicate sends, 0 timers unfired', async () => {
    let killedWith = 0;
    let killedMidSend = 0;
    for (let i = 0; i < KILLS; i++) {
      const { proc, ready, exited } = run('kill');
      await ready;
      // Kill once the fake has taken a random number of this run's sends: others are in flight then.
      const before = fake.requests.SendSms ?? 0;
      const target = before + 20 + Math.floor(Math.random() * 300);
      const give = Date.now() + 10_000;
      while ((fake.requests.SendSms ?? 0) < target && Date.now() < give) await new Promise((r) => setTimeout(r, 2));
      const sending = (fake.requests.SendSms ?? 0) >= target;
      proc.kill('SIGKILL');
      await exited;
      if (proc.signalCode === 'SIGKILL') killedWith++;
      if (sending) killedMidSend++;
    }
    expect(killedWith).toBe(KILLS);
    // The kills land while sends are flowing, not before or after the backlog.
    expect(killedMidSend).toBe(KILLS);
    const final = run('finish');
    expect(await final.exited).toBe(0);

    const database = await openDatabase(dbPath);
    const db = database.sqlite;
    try {
      // The provider's own count: every accepted SendSms is a message to a phone.
      const perOutId = new Map<string, number>();
      for (const m of fake.sent) perOutId.set(m.outId, (perOutId.get(m.outId) ?? 0) + 1);
      const duplicates = [...perOutId.values()].filter((n) => n > 1).length;
      const lost = db
        .prepare("SELECT count(*) n FROM Instance WHERE NOT (status = 'exited' AND nodeId = 'done')")
        .get() as { n: number };
      const timers = db.prepare('SELECT count(*) n FROM Timer').get() as { n: number };
      const parked = db.prepare("SELECT count(*) n FROM OutboxEffect WHERE status = 'unknown'").get() as { n: number };
      const reconciled = db
        .prepare("SELECT count(*) n FROM OutboxEffect WHERE json_extract(result, '$.data.reconciled') = 1")
        .get() as { n: number };
      console.info(
        `[sms crash] customers ${CUSTOMERS}, kills ${KILLS} (${killedMidSend} mid-send); provider requests ${JSON.stringify(
          fake.requests,
        )}; accepted sends ${fake.sent.length}; duplicates ${duplicates}; lost ${lost.n}; timers left ${timers.n}; ` +
          `parked unknown ${parked.n}; reconciled as sent from QuerySendDetails ${reconciled.n}`,
      );
      expect({ duplicates, lost: lost.n, timers: timers.n, parked: parked.n }).toEqual({
        duplicates: 0,
        lost: 0,
        timers: 0,
        parked: 0,
      });
      expect(fake.sent).toHaveLength(2 * CUSTOMERS);
      expect(perOutId.size).toBe(2 * CUSTOMERS);
      expect(db.prepare("SELECT count(*) n FROM Message WHERE status != 'sent'").get()).toEqual({ n: 0 });
      expect(
        db.prepare('SELECT nodeId, count(DISTINCT customerId) n FROM Message GROUP BY nodeId ORDER BY nodeId').all(),
      ).toEqual([
        { nodeId: 'reminder', n: CUSTOMERS },
        { nodeId: 'welcome', n: CUSTOMERS },
      ]);
      expect(db.prepare("SELECT count(*) n FROM OutboxEffect WHERE status != 'done'").get()).toEqual({ n: 0 });
    } finally {
      await database.close();
    }
  }, 180_000);
});
