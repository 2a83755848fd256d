// The PostgreSQL bench section at a tiny size (200 customers, 2 worker processes): it runs the
// journey to the end on every backend, checks exactly-once across processes, and fills the fields
// bench/results.json and docs/capacity.md read. Its checks fail a run that double-sends.
import { describe, expect, it } from 'vitest';
import { postgresServerUrl } from '../../src/db/postgres-for-tests.test-helper.ts';
import { capacityModel, markdownTable } from '../capacity.ts';
import { tableRows, withPostgresSection } from '../postgres-workers.ts';
import { checkExactlyOnce, checkJourneyEnd, type EndFacts } from './checks.ts';
import { runPostgresSection } from './section.ts';

describe('bench: PostgreSQL with 1 and N worker processes', () => {
  it('runs 200 customers on SQLite, PostgreSQL ×1 and ×2 with every check passing, and records the figures', async () => {
    const section = await runPostgresSection({ customers: 200, workers: 2, serverUrl: await postgresServerUrl() });
    // 200 customers: 3 steps each to the 1-day wait, 2 at the branch and coupon; 60 buyers (30 in
    // the paced stream, 30 in bulk) 3 more (the order, the repurchase tag, the thank-you message),
    // 140 others 1 (the timeout).
    expect(section).toMatchObject({ customers: 200, workers: 2, buyers: 60, latencyEvents: 30 });
    for (const run of [section.sqlite, section.postgres1, section.postgresN]) {
      expect(run.totalSteps).toBe(1320);
      expect(run.phases.find((p) => p.label.startsWith('orders'))?.steps).toBe(90);
      expect(run.checks).toEqual({ effectsExecutedOnce: 460, customersAtEnd: 200 });
      expect(run.latencySamples).toBe(30);
      expect(run.stepsPerSec).toBeGreaterThan(0);
      expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms);
    }
    expect(section.postgres1.stepsByWorker).toHaveLength(1);
    // Two real engines shared the work through the database's claims.
    expect(section.postgresN.stepsByWorker).toHaveLength(2);
    expect(section.postgresN.stepsByWorker.every((steps) => steps > 0)).toBe(true);
    for (const run of [section.postgres1, section.postgresN]) {
      const pg = run.postgres;
      expect(pg?.rowsWrittenPerStep).toBeGreaterThan(1);
      expect(pg?.rows.byTable.Instance?.updated).toBeGreaterThan(0);
      expect(pg?.commitsPerStep).toBeGreaterThan(0);
      expect(pg?.walBytesPerStep).toBeGreaterThan(0);
      // This database's own WAL (pg_walinspect), at most the server's; the server-wide figure when a
      // checkpoint during the run recycled the segments it started in (other sessions write too).
      expect(['pg_walinspect: records of this database', 'pg_current_wal_lsn: server-wide']).toContain(pg?.walSource);
      expect(pg?.walBytes).toBeLessThanOrEqual(pg?.serverWalBytes ?? 0);
      expect(pg?.deadlocks).toBe(0);
      expect(pg?.peakConnections).toBeGreaterThanOrEqual(1);
      if (pg?.backendCpuSeconds !== null) expect(pg?.cpuMsPerStep).toBeGreaterThan(0);
    }
    expect(section.scaling.stepsPerSecRatio).toBeCloseTo(
      section.postgresN.stepsPerSec / section.postgres1.stepsPerSec,
      1,
    );
    expect(section.server.version).toMatch(/^\d+/);
    // The results file keeps the other benches' fields; the table has a line per run.
    expect(withPostgresSection({ stepsPerSec: 1, details: {} }, section)).toMatchObject({
      stepsPerSec: 1,
      details: {},
      postgres: { workers: 2 },
    });
    expect(Object.keys(tableRows(section))).toEqual(['SQLite ×1', 'PostgreSQL ×1', 'PostgreSQL ×2']);
    // docs/capacity.md's model reads these fields: every line comes out a number.
    const model = capacityModel(section);
    expect(model.find((l) => l.quantity === 'steps per journey run')?.value).toBe(6.6);
    expect(model.find((l) => l.quantity === 'worker processes (by measured rate)')?.value).toBeGreaterThanOrEqual(2);
    expect(model.filter((l) => !Number.isFinite(l.value) && !l.quantity.includes('CPU'))).toEqual([]);
    expect(markdownTable(model)).toContain('| rows written per step |');
  }, 60_000);
});

describe('bench checks', () => {
  it('fail a run that executed an effect twice, naming the workers, or never executed one', () => {
    const stored = ['1:welcome:1', '1:tagNew:1', '2:welcome:1'];
    expect(() =>
      checkExactlyOnce(
        [
          { workerId: 'w1', calls: ['1:welcome:1', '1:tagNew:1'] },
          { workerId: 'w2', calls: ['2:welcome:1'] },
        ],
        stored,
      ),
    ).not.toThrow();
    expect(() =>
      checkExactlyOnce(
        [
          { workerId: 'w1', calls: ['1:welcome:1', '1:tagNew:1', '2:welcome:1'] },
          { workerId: 'w2', calls: ['2:welcome:1'] },
        ],
        stored,
      ),
    ).toThrow('1 effects executed more than once (customers messaged twice): 2:welcome:1 ×2 by w1+w2');
    expect(() => checkExactlyOnce([{ workerId: 'w1', calls: ['1:welcome:1'] }], stored)).toThrow(
      '2 stored effects never executed: 1:tagNew:1, 2:welcome:1',
    );
  });

  it('fail a run that left a customer short of the journey’s end', () => {
    const facts = (statuses: Record<string, number>, timersLeft = 0): EndFacts => ({
      statuses,
      instances: Object.values(statuses).reduce((a, b) => a + b, 0),
      customersWithRuns: 2,
      timersLeft,
      effects: new Map(['a', 'b', 'c', 'd', 'e'].map((k) => [k, 'done'])),
      instanceOf: new Map(),
    });
    expect(() => checkJourneyEnd(facts({ completed: 1, exited: 1 }), 2, 1)).not.toThrow();
    expect(() => checkJourneyEnd(facts({ completed: 1, active: 1 }, 1), 2, 1)).toThrow(
      "bench run did not bring every customer to the journey's end: 1 runs active; expected 1 runs exited; 1 timers left",
    );
  });
});
