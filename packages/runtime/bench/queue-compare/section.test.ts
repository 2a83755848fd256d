// The queue comparison at a tiny size (60 jobs, batches of 20, 2 consumers: the case where claims
// compete; 1 consumer is the same code with one): every queue claims and completes every job exactly
// once, and the figures the results file and docs/capacity.md read are filled. Its checks fail a
// queue that loses or repeats a job. Most of its time is the scratch database's migration.
import { describe, expect, it } from 'vitest';
import { postgresServerUrl } from '../../src/db/postgres-for-tests.test-helper.ts';
import { queueTableRows, withQueueCompareSection } from '../queue-compare.ts';
import { figuresOf, type QueueContender } from './measure.ts';
import { runQueueCompare } from './section.ts';

describe('bench: our claim queries against graphile-worker and pg-boss', () => {
  it('runs 60 jobs through every queue with 2 consumers and records the figures', async () => {
    const section = await runQueueCompare({
      jobs: 60,
      consumers: [2],
      batchSizes: [20],
      serverUrl: await postgresServerUrl(),
      measurePostgres: false,
    });
    expect(section.runs.map((r) => `${r.queue} ×${r.consumers}`)).toEqual([
      'ours: timers ×2',
      'ours: effects ×2',
      'graphile-worker ×2',
      'pg-boss ×2',
    ]);
    for (const run of section.runs) {
      expect(run.jobsByConsumer.reduce((a, b) => a + b, 0)).toBe(60);
      expect(run.jobsByConsumer).toHaveLength(run.consumers);
      expect(run.jobsPerSec).toBeGreaterThan(0);
      expect(run.claims).toBeGreaterThanOrEqual(3); // 60 jobs in batches of at most 20
      expect(run.claimP99Ms).toBeGreaterThanOrEqual(run.claimP50Ms);
    }
    expect(section.versions['graphile-worker']).toMatch(/^\d+\.\d+/);
    expect(section.versions['pg-boss']).toMatch(/^\d+\.\d+/);
    expect(section.server.version).toMatch(/^\d+/);
    expect(withQueueCompareSection({ postgres: { workers: 2 } }, section)).toMatchObject({
      postgres: { workers: 2 },
      queueCompare: { jobs: 60 },
    });
    expect(queueTableRows(section)).toHaveLength(4);
  }, 30_000);

  it('fails a queue that claimed a job twice or left one unclaimed', () => {
    const queue: QueueContender = { name: 'q', how: '', run: async () => Promise.reject(new Error('not run')) };
    const run = { jobs: 3, consumers: 2, batchSize: 2 };
    const result = { wallMs: 10, claimMs: [1, 2], jobsByConsumer: [2, 2], seedMs: 1 };
    expect(() => figuresOf(queue, run, { ...result, claimedIds: [1, 2, 2, 3] })).toThrow(
      'q: 1 jobs claimed more than once (2 ×2)',
    );
    expect(() => figuresOf(queue, run, { ...result, claimedIds: [1, 2] })).toThrow('q: 2 of 3 jobs claimed');
    expect(figuresOf(queue, run, { ...result, claimedIds: [1, 2, 3] })).toMatchObject({ jobsPerSec: 300, claims: 2 });
  });
});
