// The run queries behind the node drawer and the "outcome unknown" decisions, on both databases:
// one statement text, the same answers.
import { describe, expect, it } from 'vitest';
import type { AppDatabase } from '../db/app-database.ts';
import { bothBackends } from '../db/both-backends.test-helper.ts';
import { cleanupAfterEach } from '../db/scratch-database.test-helper.ts';
import { nodeFailures } from './node-failures.ts';
import { pendingRetries } from './pending-retries.ts';
import {
  countUnknownOutcomesByNode,
  listUnknownOutcomes,
  resolveUnknownOutcome,
  UnknownOutcomeError,
} from './unknown-outcomes.ts';

const cleanups = cleanupAfterEach();
const backends = bothBackends('runs', cleanups);
const AT = new Date('2026-12-01T08:00:00.000Z');

/**
 * Journey j1 at node `sms`: run 1 (c1) ended by its failed send, run 2 (c2) waits on an unknown
 * outcome with a message claimed, run 3 (c3) waits for a retry.
 */
async function seed({ sql }: AppDatabase) {
  await sql.run(
    `INSERT INTO Journey (id, name, status, draft, createdAt, updatedAt) VALUES ('j1', '复购', 'live', '{}', ?, ?)`,
    [AT, AT],
  );
  await sql.run(
    `INSERT INTO JourneyVersion (id, journeyId, version, graph, publishedAt) VALUES ('v1', 'j1', 1, '{}', ?)`,
    [AT],
  );
  const runs: Array<[number, string, string, string | null]> = [
    [1, 'c1', 'exited', 'effectFailed:sms'],
    [2, 'c2', 'active', null],
    [3, 'c3', 'active', null],
  ];
  for (const [id, customerId, status, exitReason] of runs) {
    await sql.run('INSERT INTO Customer (id, displayName, attributes, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)', [
      customerId,
      `客户${id}`,
      '{}',
      AT,
      AT,
    ]);
    await sql.run(
      `INSERT INTO Instance (id, journeyId, versionId, customerId, status, snapshot, nodeId, exitReason, enteredAt, updatedAt)
       VALUES (?, 'j1', 'v1', ?, ?, '{}', 'sms', ?, ?, ?)`,
      [id, customerId, status, exitReason, AT, AT],
    );
  }
  const error = (instanceId: number, at: number, detail: object) =>
    sql.run(
      `INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, detail) VALUES (?, 'j1', 'v1', ?, 'error', 'sms', ?)`,
      [instanceId, at, JSON.stringify(detail)],
    );
  await error(1, 1000, { code: 'noPhone' });
  await error(1, 2000, { code: 'exhausted', error: '发送失败' });
  await error(2, 3000, {});
  const effect = (instanceId: number, key: string, status: string, attempts: number, lastError: string) =>
    sql.run(
      `INSERT INTO OutboxEffect (instanceId, nodeId, nodeType, idempotencyKey, payload, status, attempts, nextAttemptAt, lastError, createdAt)
       VALUES (?, 'sms', 'sms.send', ?, '{}', ?, ?, 5000, ?, ?)`,
      [instanceId, key, status, attempts, lastError, AT],
    );
  await effect(2, '2:sms:1', 'unknown', 2, 'timeout');
  await effect(3, '3:sms:1', 'pending', 1, 'rate limited');
  await sql.run(
    `INSERT INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, status, journeyId, nodeId, sentAt)
     VALUES ('2:sms:1', 'c2', 'sms', 'sandbox', '+8613800000002', '您好', 'sending', 'j1', 'sms', 4000)`,
  );
}

const effectId = async ({ sql }: AppDatabase, key: string) =>
  ((await sql.get<{ id: number }>('SELECT id FROM OutboxEffect WHERE idempotencyKey = ?', [key])) as { id: number }).id;

describe.each(backends)('runs on %s', (_name, open) => {
  it("lists a node's failed runs, newest first, each with its last reason and whether it may be retried", async () => {
    const db = await open();
    await seed(db);
    expect(await nodeFailures(db, { journeyId: 'j1', nodeId: 'sms', limit: 10 })).toEqual({
      total: 2,
      items: [
        { instanceId: 2, customerId: 'c2', at: 3000, code: null, error: null, retryable: false },
        { instanceId: 1, customerId: 'c1', at: 2000, code: 'exhausted', error: '发送失败', retryable: true },
      ],
    });
    expect(await nodeFailures(db, { journeyId: 'j1', nodeId: 'other', limit: 10 })).toEqual({ total: 0, items: [] });
  });

  it('gives the retry a run waits for: attempt, next time, error', async () => {
    const db = await open();
    await seed(db);
    const retries = await pendingRetries(db, [1, 2, 3]);
    expect([...retries]).toEqual([
      [
        3,
        {
          instanceId: 3,
          nodeId: 'sms',
          nodeType: 'sms.send',
          attempts: 1,
          nextAttemptAt: 5000,
          lastError: 'rate limited',
          held: false,
        },
      ],
    ]);
    expect((await pendingRetries(db, [])).size).toBe(0);
  });

  it('lists and counts steps waiting on an unknown outcome, with the message claimed', async () => {
    const db = await open();
    await seed(db);
    const listed = await listUnknownOutcomes(db, { journeyId: 'j1', limit: 10 });
    expect(listed).toEqual([
      {
        effectId: await effectId(db, '2:sms:1'),
        key: '2:sms:1',
        journeyId: 'j1',
        nodeId: 'sms',
        nodeType: 'sms.send',
        instanceId: 2,
        customerId: 'c2',
        attempts: 2,
        reason: 'timeout',
        since: expect.any(String),
        message: { provider: 'sandbox', recipient: '+8613800000002', content: '您好', claimedAt: 4000 },
      },
    ]);
    expect(Date.parse(listed[0]?.since as string)).toBe(AT.getTime());
    expect(await listUnknownOutcomes(db, { journeyId: 'j1', nodeId: 'other', limit: 10 })).toEqual([]);
    expect(await countUnknownOutcomesByNode(db.sql, 'j1')).toEqual(new Map([['sms', 1]]));
    expect(await countUnknownOutcomesByNode(db.sql, 'j1', 'v2')).toEqual(new Map());
  });

  it("records an operator's decision once and hands the step back; the message follows it", async () => {
    const db = await open();
    await seed(db);
    const id = await effectId(db, '2:sms:1');
    const decide = () => resolveUnknownOutcome(db, { effectId: id, action: 'markSent', decidedBy: 'li', now: 9000 });
    // Two operators at once: one decision is taken, the other is told it was already made.
    const outcomes = await Promise.allSettled([decide(), decide()]);
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value)).toEqual([
      { effectId: id, action: 'markSent' },
    ]);
    const refused = outcomes.find((o) => o.status === 'rejected')?.reason;
    expect(refused).toBeInstanceOf(UnknownOutcomeError);
    expect(refused).toMatchObject({ code: 'notUnknown' });
    expect(await db.sql.get('SELECT status, nextAttemptAt FROM OutboxEffect WHERE id = ?', [id])).toEqual({
      status: 'pending',
      nextAttemptAt: 9000,
    });
    expect(await db.sql.get("SELECT status FROM Message WHERE idempotencyKey = '2:sms:1'")).toEqual({ status: 'sent' });
    expect(await db.sql.all('SELECT effectKey, journeyId, nodeId, action, decidedBy FROM OutcomeResolution')).toEqual([
      { effectKey: '2:sms:1', journeyId: 'j1', nodeId: 'sms', action: 'markSent', decidedBy: 'li' },
    ]);
    await expect(
      resolveUnknownOutcome(db, { effectId: 999, action: 'skip', decidedBy: 'li', now: 9000 }),
    ).rejects.toMatchObject({ code: 'notFound' });
  });

  it('skipping fails the claimed message with the reason', async () => {
    const db = await open();
    await seed(db);
    await resolveUnknownOutcome(db, {
      effectId: await effectId(db, '2:sms:1'),
      action: 'skip',
      decidedBy: 'li',
      now: 9000,
    });
    expect(await db.sql.get("SELECT status, error FROM Message WHERE idempotencyKey = '2:sms:1'")).toEqual({
      status: 'failed',
      error: 'outcome unknown; skipped by operator',
    });
  });
});
