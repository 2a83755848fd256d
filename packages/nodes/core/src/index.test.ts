import {
  type CustomerView,
  createNodeRegistry,
  evaluateFilter,
  hashToUnit,
  migrateConfigFrom,
  type NodeContext,
  outputsOf,
  TagNameSchema,
  validateGraph,
} from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import {
  abSplit,
  applyAttributeChanges,
  attributeUpdate,
  audienceEntry,
  branch,
  channelEntry,
  channelTags,
  corePackage,
  dateAttributeInstant,
  randomSplit,
  staffTask,
  updateAttributes,
  updateTags,
  waitForEvent,
  waitUntil,
} from './index.ts';

const customer = (over: Partial<CustomerView> = {}): CustomerView => ({
  id: 'c1',
  tags: [],
  attributes: {},
  identities: {},
  ...over,
});
const ctx = (over: Partial<NodeContext> = {}): NodeContext => ({
  customer: customer(),
  now: new Date('2026-03-02T02:00:00Z'), // Monday 10:00 in Shanghai
  random: 0.5,
  visitKey: 'n:1',
  ...over,
});

describe('core package', () => {
  it('has every node type the product ships, each with a parseable default config', () => {
    expect(corePackage.nodes.map((n) => n.type)).toEqual([
      'core.channelEntry',
      'core.eventEntry',
      'core.audienceEntry',
      'core.apiEntry',
      'core.wait',
      'core.waitUntil',
      'core.waitForEvent',
      'core.branch',
      'core.abSplit',
      'core.randomSplit',
      'core.updateTags',
      'core.updateAttributes',
      'core.goal',
      'core.exit',
      'core.webhook',
      'core.staffTask',
    ]);
    // A new channel entry names no channel (the operator ticks one of theirs); every other default parses.
    const mustPick: Record<string, string[]> = { 'core.channelEntry': ['channelIds'] };
    for (const node of corePackage.nodes) {
      const parsed = node.config.safeParse(node.defaultConfig);
      const issues = parsed.error?.issues.map((i: { path: PropertyKey[] }) => i.path.join('.')) ?? [];
      expect(issues, node.type).toEqual(mustPick[node.type] ?? []);
      expect(node.label['zh-CN']).not.toBe(node.label.en);
    }
  });
});

describe('entries', () => {
  it('a channel entry enrols on channel.entered for its channels and variants only', () => {
    const config = channelEntry.config.parse({ channelIds: ['card'], variants: ['b'] });
    const trigger = channelEntry.entry?.trigger(config);
    expect(trigger?.kind).toBe('event');
    if (trigger?.kind !== 'event') return;
    expect(trigger.event).toBe('channel.entered');
    const matches = (data: Record<string, unknown>) => evaluateFilter(trigger.filter!, { data });
    expect(matches({ channelId: 'card', variant: 'b' })).toBe(true);
    expect(matches({ channelId: 'card', variant: 'a' })).toBe(false);
    expect(matches({ channelId: 'poster', variant: 'b' })).toBe(false);
  });

  it('an audience entry needs a segment or conditions, and repeats at most hourly', () => {
    const everyone = audienceEntry.config.safeParse({ filter: { match: 'all', conditions: [] } });
    expect(everyone.success).toBe(false);
    expect(everyone.error?.issues[0]?.path).toEqual(['filter']);
    const tooOften = audienceEntry.config.safeParse({
      segmentId: 's1',
      schedule: 'repeat',
      every: { amount: 10, unit: 'minutes' },
    });
    expect(tooOften.error?.issues[0]?.path).toEqual(['every']);
    const weekly = audienceEntry.config.parse({
      segmentId: 's1',
      schedule: 'repeat',
      every: { amount: 1, unit: 'weeks' },
    });
    expect(audienceEntry.entry?.trigger(weekly)).toMatchObject({
      kind: 'audience',
      segmentId: 's1',
      everyMs: 7 * 86_400_000,
    });
  });
});

describe('routing', () => {
  it('branch takes the first matching case, else "else"', () => {
    const config = branch.config.parse({
      cases: [
        { id: 'core', label: '核心', filter: { conditions: [{ field: 'attributes.layer', op: 'eq', value: 'core' }] } },
        { id: 'vip', label: 'VIP', filter: { conditions: [{ field: 'tags', op: 'hasTag', value: 'VIP' }] } },
        {
          id: 'champ',
          label: '高价值',
          filter: { conditions: [{ field: 'rfm.segment', op: 'eq', value: 'champions' }] },
        },
        { id: 'card', label: '包裹卡', filter: { conditions: [{ field: 'channel.code', op: 'eq', value: 'card-a' }] } },
      ],
    });
    expect(outputsOf(branch, config).map((p) => p.id)).toEqual(['core', 'vip', 'champ', 'card', 'else']);
    const decide = (c: Partial<CustomerView>) => branch.decide?.(config, ctx({ customer: customer(c) }));
    expect(decide({ tags: ['VIP'], attributes: { layer: 'core' } })).toBe('core');
    expect(decide({ tags: ['VIP'] })).toBe('vip');
    expect(decide({ rfm: { recency: 5, frequency: 5, monetary: 5, segment: 'champions' } })).toBe('champ');
    expect(decide({ channel: { code: 'card-a' } })).toBe('card');
    expect(decide({})).toBe('else');
  });

  it('branch refuses duplicate case ids and the reserved "else"', () => {
    const f = { match: 'all', conditions: [] };
    const result = branch.config.safeParse({
      cases: [
        { id: 'a', label: 'A', filter: f },
        { id: 'a', label: 'A2', filter: f },
        { id: 'else', label: 'E', filter: f },
      ],
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['cases.1.id', 'cases.2.id']);
  });

  it('A/B split follows the weights over many customers, the same customer always the same way, and a winner takes all', () => {
    const config = abSplit.config.parse({
      variants: [
        { id: 'a', label: 'A', weight: 20 },
        { id: 'b', label: 'B', weight: 80 },
      ],
    });
    const counts = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 10_000; i++) {
      const random = hashToUnit(`customer-${i}:split`);
      const port = abSplit.decide?.(config, ctx({ random })) as string;
      counts[port] = (counts[port] ?? 0) + 1;
      expect(abSplit.decide?.(config, ctx({ random }))).toBe(port);
    }
    // 10,000 draws at p = 0.2: three standard deviations is ±120.
    expect(Math.abs((counts.a ?? 0) - 2000)).toBeLessThan(120);
    const ended = abSplit.config.parse({ ...config, winner: 'a' });
    expect(abSplit.decide?.(ended, ctx({ random: 0.99 }))).toBe('a');
    expect(abSplit.config.safeParse({ ...config, winner: 'c' }).error?.issues[0]?.path).toEqual(['winner']);
  });

  it('A/B weights are percentages that add up to 100, saying the total when they do not', () => {
    const variants = (a: number, b: number) => ({
      variants: [
        { id: 'a', label: 'A', weight: a },
        { id: 'b', label: 'B', weight: b },
      ],
    });
    expect(abSplit.config.safeParse(variants(30, 70)).success).toBe(true);
    const issue = abSplit.config.safeParse(variants(60, 60)).error?.issues[0];
    expect(issue?.path).toEqual(['variants']);
    expect(issue?.message).toContain('现为 120%');
    expect(issue?.message).toContain('must add up to 100% (now 120%)');
    expect(abSplit.config.safeParse(variants(0.5, 0.5)).success).toBe(false);
  });

  it('A/B configs saved with relative weights (v1) become percentages, the split unchanged', () => {
    const old = (...w: number[]) => ({ variants: w.map((weight, i) => ({ id: `v${i}`, label: `V${i}`, weight })) });
    const weights = (w: number[]) =>
      (migrateConfigFrom(abSplit, 1, old(...w)) as { variants: { weight: number }[] }).variants.map((v) => v.weight);
    expect(weights([1, 1])).toEqual([50, 50]);
    expect(weights([1, 2])).toEqual([33.33, 66.67]);
    expect(weights([1, 1, 1])).toEqual([33.33, 33.33, 33.34]);
    expect(weights([30, 70])).toEqual([30, 70]);
  });

  it('random split percentages must add up to 100', () => {
    const bad = randomSplit.config.safeParse({
      paths: [
        { id: 'x', label: 'x', percent: 30 },
        { id: 'y', label: 'y', percent: 30 },
      ],
    });
    expect(bad.error?.issues[0]?.message).toContain('60');
    const config = randomSplit.config.parse({
      paths: [
        { id: 'x', label: 'x', percent: 30 },
        { id: 'y', label: 'y', percent: 70 },
      ],
    });
    expect(randomSplit.decide?.(config, ctx({ random: 0.29 }))).toBe('x');
    expect(randomSplit.decide?.(config, ctx({ random: 0.31 }))).toBe('y');
  });
});

describe('waits', () => {
  it('wait until a window picks the next weekday opening in the time zone', () => {
    const config = waitUntil.config.parse({
      mode: 'window',
      window: { timeZone: 'Asia/Shanghai', start: '20:00', end: '21:00', weekdays: [6, 7] },
    });
    const spec = waitUntil.await?.(config, ctx());
    // Monday 10:00 → Saturday 20:00 Shanghai = 12:00 UTC.
    expect(spec?.timeout?.at.toISOString()).toBe('2026-03-07T12:00:00.000Z');
    expect(outputsOf(waitUntil, config).map((p) => p.id)).toEqual(['next']);
  });

  it('wait until a date attribute: offset, yearly birthdays (Feb 29 too), and "missing" when absent or past', () => {
    const config = waitUntil.config.parse({
      mode: 'dateAttribute',
      attribute: 'birthday',
      offsetDays: -3,
      atTime: '09:30',
      yearly: true,
    });
    const now = new Date('2026-03-02T02:00:00Z');
    expect(dateAttributeInstant(config, '1990-03-20', now)?.toISOString()).toBe('2026-03-17T01:30:00.000Z');
    // Already past this year → next year.
    expect(dateAttributeInstant(config, '1990-01-10', now)?.toISOString()).toBe('2027-01-07T01:30:00.000Z');
    expect(dateAttributeInstant(config, '2000-02-29', now)?.toISOString()).toBe('2027-02-25T01:30:00.000Z');
    expect(dateAttributeInstant(config, 'not a date', now)).toBeUndefined();
    const once = waitUntil.config.parse({ mode: 'dateAttribute', attribute: 'ends' });
    expect(dateAttributeInstant(once, '2026-01-01', now)).toBeUndefined();
    const missing = waitUntil.await?.(once, ctx());
    expect(missing?.timeout).toEqual({ at: now, port: 'missing' });
    expect(outputsOf(waitUntil, once).map((p) => p.id)).toEqual(['next', 'missing']);
    expect(waitUntil.config.safeParse({ mode: 'dateAttribute' }).error?.issues[0]?.path).toEqual(['attribute']);
  });

  it('wait for event subscribes with its filter and times out', () => {
    const config = waitForEvent.config.parse({
      event: 'order.placed',
      filter: { conditions: [{ field: 'data.amountCents', op: 'gte', value: 10000 }] },
      timeout: { amount: 7, unit: 'days' },
    });
    const spec = waitForEvent.await?.(config, ctx());
    expect(spec?.events?.[0]).toMatchObject({ type: 'order.placed', port: 'matched' });
    expect(spec?.timeout).toEqual({ at: new Date('2026-03-09T02:00:00Z'), port: 'timeout' });
    expect(waitForEvent.config.safeParse({ event: 'Order', timeout: { amount: 1, unit: 'days' } }).success).toBe(false);
  });

  it('a staff task waits for completion of its own task id', () => {
    const config = staffTask.config.parse({ title: '回访', expiresAfter: { amount: 2, unit: 'days' } });
    const spec = staffTask.await?.(config, ctx({ effectResult: { port: 'done', data: { taskId: 'i:n:1' } } }));
    const filter = spec?.events?.[0]?.filter;
    expect(evaluateFilter(filter!, { data: { taskId: 'i:n:1' } })).toBe(true);
    expect(evaluateFilter(filter!, { data: { taskId: 'other' } })).toBe(false);
    expect(spec?.timeout?.port).toBe('expired');
  });
});

describe('customer updates', () => {
  it('tags: something to do, nothing both added and removed; channel tags from the source', () => {
    expect(updateTags.config.safeParse({ add: [], remove: [] }).success).toBe(false);
    expect(updateTags.config.safeParse({ add: ['a'], remove: ['a'] }).error?.issues[0]?.path).toEqual(['remove']);
    expect(channelTags({ code: 'card-202611', variant: 'b' })).toEqual(['渠道:card-202611', '版本:b']);
    expect(channelTags({ code: 'live', variant: 'default' })).toEqual(['渠道:live']);
    // A variant may be 50 characters; its tag is clipped to the 50 a tag may have, so the customer
    // search and the tag editor (which take tags of at most 50) can still find and remove it.
    const long = '扫码领券'.repeat(12) + 'AB';
    const [, variantTag] = channelTags({ code: 'card-1', variant: long });
    expect(Array.from(variantTag as string)).toHaveLength(50);
    expect(variantTag).toBe(`版本:${long.slice(0, 47)}`);
    expect(TagNameSchema.safeParse(variantTag).success).toBe(true);
    // Emoji are two UTF-16 units (what the schema counts): clipped to 50 units, none cut in half.
    const [, emojiTag] = channelTags({ code: 'card-1', variant: '🎁'.repeat(25) });
    expect(emojiTag).toBe(`版本:${'🎁'.repeat(23)}`);
    expect(TagNameSchema.safeParse(emojiTag).success).toBe(true);
    expect(channelTags(undefined)).toEqual([]);
  });

  it('attribute changes set, unset and increment (a missing or non-numeric value counts from 0)', () => {
    expect(
      applyAttributeChanges({ layer: 'periphery', points: 5, junk: 'x', gone: 1 }, [
        { op: 'set', name: 'layer', value: 'core' },
        { op: 'increment', name: 'points', by: 10 },
        { op: 'increment', name: 'junk', by: 1 },
        { op: 'increment', name: 'fresh', by: 2 },
        { op: 'unset', name: 'gone' },
      ]),
    ).toEqual({ layer: 'core', points: 15, junk: 1, fresh: 2 });
  });

  it("the step's update sets what changed and removes what was unset; __proto__ is not an attribute name", () => {
    const changes = [
      { op: 'increment', name: 'points', by: 10 },
      { op: 'unset', name: 'gone' },
    ] as const;
    expect(attributeUpdate(changes, { points: 5, gone: 1, city: '上海' })).toEqual({
      update: { setAttributes: { points: 15 }, unsetAttributes: ['gone'] },
      port: 'next',
      data: { attributes: { points: 15, gone: null } },
    });
    const refused = updateAttributes.config.safeParse({ changes: [{ op: 'set', name: '__proto__', value: 'x' }] });
    expect(refused.error?.issues[0]?.path).toEqual(['changes', 0, 'name']);
  });
});

describe('graph validation with core nodes', () => {
  it('flags an unconnected required port and passes a complete journey', () => {
    const registry = createNodeRegistry([corePackage]);
    const node = (id: string, type: string, config: Record<string, unknown>, x: number) => ({
      id,
      type,
      typeVersion: 1,
      config,
      position: { x, y: 0 },
    });
    const graph = {
      nodes: [
        node('entry', 'core.apiEntry', {}, 0),
        node('wait', 'core.waitForEvent', { event: 'order.placed', timeout: { amount: 3, unit: 'days' } }, 200),
        node('vip', 'core.updateTags', { add: ['复购'] }, 400),
        node('done', 'core.exit', { reason: '完成' }, 600),
      ],
      edges: [
        { id: 'e1', source: 'entry', sourcePort: 'next', target: 'wait' },
        { id: 'e2', source: 'wait', sourcePort: 'matched', target: 'vip' },
        { id: 'e3', source: 'vip', sourcePort: 'next', target: 'done' },
      ],
      settings: {},
    };
    const problems = validateGraph(graph as never, registry);
    expect(problems.map((p) => [p.nodeId, p.code])).toEqual([['wait', 'unconnectedOutput']]);
    graph.edges.push({ id: 'e4', source: 'wait', sourcePort: 'timeout', target: 'done' });
    expect(validateGraph(graph as never, registry)).toEqual([]);
  });
});
