// The sandbox inbox and the provider-callback token on SQLite and PostgreSQL. (The simulation and
// live-run tests in sandbox-inbox.test.ts assemble the whole server and stay on SQLite.)
import { describe, expect, it } from 'vitest';
import { callbackTokenStore } from './callback-token.ts';
import { bothDatabases } from './databases.test-helper.ts';
import { createSandboxInbox, SandboxInboxError } from './sandbox-inbox.ts';

const { databases } = bothDatabases('sandbox-inbox');
const NOW = Date.parse('2026-11-23T02:00:00Z');

const step = (idempotencyKey: string) => ({
  idempotencyKey,
  journey: { id: 'j1', versionId: 'j1-v1' },
  nodeId: 'ding',
  customer: { id: 'amy', tags: [], attributes: {}, identities: {} },
  now: new Date(NOW),
});

describe.each(databases)('sandbox inbox on %s', (_name, open) => {
  it('records what a node would have sent once per step and part, as the sandbox rows', async () => {
    const db = await open();
    const inbox = createSandboxInbox(db, 'fx-ding');
    const message = { to: '钉钉群', content: '新品上架' };
    await Promise.all([inbox.record(step('1:ding:0'), message), inbox.record(step('1:ding:0'), message)]);
    await inbox.record(step('1:ding:0'), { ...message, content: 'second part', part: 'p2', channel: 'dingtalk' });
    expect(
      await db.sql.all(
        'SELECT idempotencyKey, customerId, channel, provider, kind, recipient, content, status, journeyId, nodeId, sentAt FROM Message ORDER BY id',
      ),
    ).toEqual([
      {
        idempotencyKey: '1:ding:0',
        customerId: 'amy',
        channel: 'fx-ding',
        provider: 'sandbox',
        kind: 'notice',
        recipient: '钉钉群',
        content: '新品上架',
        status: 'sent',
        journeyId: 'j1',
        nodeId: 'ding',
        sentAt: NOW,
      },
      expect.objectContaining({ idempotencyKey: '1:ding:0#p2', channel: 'dingtalk', content: 'second part' }),
    ]);
    await expect(inbox.record(step('2:ding:0'), { to: 'x', content: '' })).rejects.toThrow(SandboxInboxError);
  });
});

describe.each(databases)('provider-callback token on %s', (_name, open) => {
  it('is made once (also when two processes ask at once), kept, and replaced by a rotation', async () => {
    const db = await open();
    const here = callbackTokenStore(db, () => NOW);
    const there = callbackTokenStore(db, () => NOW);
    const [a, b] = await Promise.all([here.current(), there.current()]);
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(b).toBe(a);
    expect(await here.current()).toBe(a);
    const rotated = await there.rotate();
    expect(rotated).not.toBe(a);
    expect(await here.current()).toBe(rotated);
    const row = await db.sql.get<{ createdAt: string; rotatedAt: string }>(
      "SELECT createdAt, rotatedAt FROM DeploymentSecret WHERE name = 'providerCallbacks'",
    );
    expect(new Date(String(row?.rotatedAt)).getTime()).toBe(NOW);
  });
});
