import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { rollUpStepCounts } from './journey-stats.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe('rollUpStepCounts', () => {
  it('counts each StepLog row exactly once across polls', () => {
    const log = h.db.sqlite.prepare(
      "INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId, port) VALUES (1, 'j', 'v', 0, ?, ?, ?, ?)",
    );
    const total = () =>
      h.db.sqlite.prepare("SELECT count, port FROM StepCount WHERE kind = 'move' AND nodeId = 'b'").get() as {
        count: number;
        port: string;
      };
    for (let i = 0; i < 5; i++) log.run('move', 'b', 'a', null);
    log.run('enter', null, null, null);
    expect(rollUpStepCounts(h.db)).toBe(2);
    expect(rollUpStepCounts(h.db)).toBe(0);
    expect(total()).toEqual({ count: 5, port: '' });
    for (let i = 0; i < 3; i++) log.run('move', 'b', 'a', null);
    rollUpStepCounts(h.db);
    expect(total().count).toBe(8);
    const enter = h.db.sqlite.prepare("SELECT count FROM StepCount WHERE kind = 'enter'").get() as { count: number };
    expect(enter.count).toBe(1);
  });
});
