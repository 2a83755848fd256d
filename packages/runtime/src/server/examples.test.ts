import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, registry, welcomeJourney } from '../trpc/harness.test-helper.ts';
import { loadExamples } from './examples.ts';

let h: Harness;
let dir: string;
beforeEach(async () => {
  h = await createHarness();
  dir = mkdtempSync(join(tmpdir(), 'siyu-examples-'));
});
afterEach(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

function example(folder: string, content: unknown) {
  mkdirSync(join(dir, folder));
  writeFileSync(join(dir, folder, 'journey.json'), typeof content === 'string' ? content : JSON.stringify(content));
}

describe('loadExamples', () => {
  it('loads each example once, publishes when asked, and reports broken ones', async () => {
    example('01-welcome', { name: '新客欢迎', publish: true, graph: welcomeJourney() });
    example('02-bare', welcomeJourney());
    example('03-broken', '{ not json');
    example('04-invalid', { name: 'x', graph: { nodes: [{ id: 'a' }], edges: [] } });
    example('05-unpublishable', { name: '空', publish: true, graph: { nodes: [], edges: [] } });
    mkdirSync(join(dir, 'no-journey'));

    const first = await loadExamples(h.db, registry, dir);
    expect(first.loaded).toEqual(['01-welcome', '02-bare', '05-unpublishable']);
    expect(first.errors.map((e) => e.example)).toEqual(['03-broken', '04-invalid', '05-unpublishable']);
    expect(first.errors[1]?.message).toContain('nodes[0]');
    const journeys = await h.db.prisma.journey.findMany({ orderBy: { templateKey: 'asc' } });
    expect(journeys.map((j) => [j.name, j.status])).toEqual([
      ['新客欢迎', 'live'],
      ['02-bare', 'draft'],
      ['空', 'draft'],
    ]);

    const second = await loadExamples(h.db, registry, dir);
    expect(second.loaded).toEqual([]);
    expect(second.skipped).toEqual(['01-welcome', '02-bare', '05-unpublishable']);
    expect(await h.db.prisma.journey.count()).toBe(3);
    expect(await loadExamples(h.db, registry, join(dir, 'missing'))).toEqual({ loaded: [], skipped: [], errors: [] });
  });
});
