import { describe, expect, it } from 'vitest';
import { formatPath, InvalidInputError, JourneyGraphSchema, parseJourneyGraph } from './graph.ts';
import { JourneySettingsSchema } from './settings.ts';

const sample = {
  schemaVersion: 1,
  nodes: [
    {
      id: 'in',
      type: 'core.channelEntry',
      typeVersion: 1,
      config: { codes: ['PKG-A'] },
      position: { x: 0, y: 0 },
      label: '包裹卡',
    },
    {
      id: 'wait',
      type: 'core.wait',
      typeVersion: 1,
      config: { duration: { amount: 3, unit: 'days' } },
      position: { x: 0, y: 120 },
    },
  ],
  edges: [{ id: 'e1', source: 'in', sourcePort: 'next', target: 'wait' }],
  settings: {
    reEntry: { policy: 'afterExit', minGap: { amount: 30, unit: 'days' } },
    quietHours: { enabled: true, timeZone: 'Asia/Shanghai', start: '21:00', end: '08:00', action: 'defer' },
    frequencyCaps: [{ channel: 'sms', max: 2, per: { amount: 7, unit: 'days' } }],
    goal: { event: 'order.placed', window: { amount: 7, unit: 'days' } },
    exitConditions: [{ event: 'sms.optedOut' }],
    holdoutPercent: 10,
  },
};

describe('journey graph schema', () => {
  it('round-trips through JSON unchanged', () => {
    const parsed = parseJourneyGraph(sample);
    const again = parseJourneyGraph(JSON.parse(JSON.stringify(parsed)));
    expect(again).toEqual(parsed);
    expect(parsed.settings.exitConditions[0]).toEqual({ event: 'sms.optedOut' });
  });

  it('fills journey settings with the operator-friendly defaults', () => {
    const parsed = parseJourneyGraph({ nodes: [], edges: [] });
    expect(parsed.settings).toEqual({
      reEntry: { policy: 'once' },
      quietHours: { enabled: true, timeZone: 'Asia/Shanghai', start: '21:00', end: '08:00', action: 'defer' },
      frequencyCaps: [],
      exitConditions: [],
      holdoutPercent: 0,
    });
  });

  it('rejects a malformed graph naming the exact path of every problem', () => {
    const bad = structuredClone(sample);
    (bad.nodes[1]!.position as { x: unknown }).x = 'left';
    bad.nodes[0]!.id = 'has spaces';
    bad.edges[0]!.sourcePort = '';
    let error: unknown;
    try {
      parseJourneyGraph(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const paths = (error as InvalidInputError).issues.map((i) => i.path);
    expect(paths).toEqual(['nodes[0].id', 'nodes[1].position.x', 'edges[0].sourcePort']);
    expect((error as Error).message).toContain('nodes[1].position.x');
  });

  it('rejects bad settings with their paths', () => {
    const cases: Array<[unknown, string]> = [
      [{ quietHours: { start: '25:00' } }, 'quietHours.start'],
      [{ quietHours: { timeZone: 'Mars/Olympus' } }, 'quietHours.timeZone'],
      [{ holdoutPercent: 80 }, 'holdoutPercent'],
      [{ reEntry: { policy: 'sometimes' } }, 'reEntry.policy'],
      [{ frequencyCaps: [{ channel: 'sms', max: 0, per: { amount: 1, unit: 'days' } }] }, 'frequencyCaps[0].max'],
      [{ goal: { event: 'order.placed', window: { amount: 400, unit: 'days' } } }, 'goal.window'],
    ];
    for (const [settings, path] of cases) {
      const result = JourneyGraphSchema.safeParse({ nodes: [], edges: [], settings });
      expect(result.success, path).toBe(false);
      const paths = result.error?.issues.map((i) => formatPath(i.path));
      expect(paths).toContain(`settings.${path}`);
    }
  });

  it('keeps a minimum gap only where given', () => {
    expect(JourneySettingsSchema.parse({ reEntry: { policy: 'always' } }).reEntry).toEqual({ policy: 'always' });
  });
});
