import { describe, expect, it } from 'vitest';
import { type JourneyGraph, parseJourneyGraph } from './graph.ts';
import { defineNode, defineNodePackage } from './node-sdk.ts';
import { createNodeRegistry } from './registry.ts';
import { samplePackage, split, sampleRegistry as testRegistry } from './testing/sample-nodes.ts';
import { validateGraph } from './validate.ts';

const at = { x: 0, y: 0 };
/** entry → send → (sent) wait → exit; (failed) exit. Valid. */
function validGraph(): JourneyGraph {
  return parseJourneyGraph({
    nodes: [
      { id: 'in', type: 'sample.eventEntry', typeVersion: 1, config: { event: 'order.placed' }, position: at },
      { id: 'sms', type: 'sample.send', typeVersion: 1, config: { text: 'hello' }, position: at },
      { id: 'w', type: 'sample.wait', typeVersion: 1, config: { duration: { amount: 3, unit: 'days' } }, position: at },
      { id: 'end', type: 'sample.exit', typeVersion: 1, config: {}, position: at },
    ],
    edges: [
      { id: 'e1', source: 'in', sourcePort: 'next', target: 'sms' },
      { id: 'e2', source: 'sms', sourcePort: 'sent', target: 'w' },
      { id: 'e3', source: 'w', sourcePort: 'next', target: 'end' },
    ],
  });
}
const codes = (g: JourneyGraph) => validateGraph(g, testRegistry).map((p) => [p.code, p.nodeId ?? null]);

describe('validateGraph', () => {
  it('accepts a well-formed graph', () => {
    expect(validateGraph(validGraph(), testRegistry)).toEqual([]);
  });

  it('reports an unknown node type on its node', () => {
    const g = validGraph();
    g.nodes.push({ id: 'x', type: 'nope.thing', typeVersion: 1, config: {}, position: at });
    g.edges.push({ id: 'ex', source: 'w', sourcePort: 'next', target: 'x' });
    g.edges = g.edges.filter((e) => e.id !== 'e3');
    g.nodes = g.nodes.filter((n) => n.id !== 'end');
    expect(codes(g)).toEqual([['unknownNodeType', 'x']]);
    expect(validateGraph(g, testRegistry)[0]?.message.en).toContain('nope.thing');
  });

  it('reports invalid config with the path inside the config, in both languages', () => {
    const g = validGraph();
    (g.nodes[2] as { config: unknown }).config = { duration: { amount: -1, unit: 'days' } };
    const problems = validateGraph(g, testRegistry);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'invalidConfig', nodeId: 'w', path: 'duration.amount' });
    expect(problems[0]?.message['zh-CN']).toContain('duration.amount');
    expect(problems[0]?.message.en).toContain('duration.amount');
  });

  it('reports a required output left unconnected, but not an optional one', () => {
    const g = validGraph();
    g.edges = g.edges.filter((e) => e.id !== 'e2');
    g.edges.push({ id: 'e2b', source: 'sms', sourcePort: 'failed', target: 'w' });
    expect(codes(g)).toEqual([['unconnectedOutput', 'sms']]);
  });

  it('reports a node no entry leads to', () => {
    const g = validGraph();
    g.nodes.push({ id: 'island', type: 'sample.exit', typeVersion: 1, config: {}, position: at });
    expect(codes(g)).toEqual([['unreachable', 'island']]);
  });

  it('reports a missing entry once, without calling every node unreachable', () => {
    const g = validGraph();
    g.nodes = g.nodes.filter((n) => n.id !== 'in');
    g.edges = g.edges.filter((e) => e.source !== 'in');
    expect(codes(g)).toEqual([['missingEntry', null]]);
  });

  it('reports entries beyond the number a type allows', () => {
    const g = validGraph();
    g.nodes.push({ id: 'api1', type: 'sample.apiEntry', typeVersion: 1, config: {}, position: at });
    g.nodes.push({ id: 'api2', type: 'sample.apiEntry', typeVersion: 1, config: {}, position: at });
    g.edges.push({ id: 'a1', source: 'api1', sourcePort: 'next', target: 'sms' });
    g.edges.push({ id: 'a2', source: 'api2', sourcePort: 'next', target: 'sms' });
    expect(codes(g)).toEqual([['tooManyEntries', 'api2']]);
    expect(validateGraph(g, testRegistry)[0]?.message).toEqual({
      'zh-CN': '「API 入口」最多只能有 1 个',
      en: 'At most 1 "API entry" node(s) allowed',
    });
  });

  it('allows several entries of a type without a limit', () => {
    const g = validGraph();
    g.nodes.push({
      id: 'in2',
      type: 'sample.eventEntry',
      typeVersion: 1,
      config: { event: 'qr.scanned' },
      position: at,
    });
    g.edges.push({ id: 'e9', source: 'in2', sourcePort: 'next', target: 'sms' });
    expect(codes(g)).toEqual([]);
  });

  it('reports a cycle with no wait in it, and accepts a cycle that waits', () => {
    const loop = validGraph();
    // sms (sent) → w is replaced by sms (sent) → sms2 (sent) → sms: messages forever.
    loop.nodes.push({ id: 'sms2', type: 'sample.send', typeVersion: 1, config: { text: 'again' }, position: at });
    loop.edges = loop.edges.filter((e) => e.id !== 'e2');
    loop.edges.push({ id: 'l1', source: 'sms', sourcePort: 'sent', target: 'sms2' });
    loop.edges.push({ id: 'l2', source: 'sms2', sourcePort: 'sent', target: 'sms' });
    loop.nodes = loop.nodes.filter((n) => n.id !== 'w' && n.id !== 'end');
    loop.edges = loop.edges.filter((e) => e.id !== 'e3');
    loop.nodes = loop.nodes.map((n) => (n.id === 'sms2' ? { ...n, label: '再提醒一次' } : n));
    const problems = validateGraph(loop, testRegistry);
    expect(problems.map((p) => p.code)).toEqual(['cycleWithoutWait']);
    // The loop by the titles the canvas shows (the operator's name, else the type's), not by id.
    expect(problems[0]?.message['zh-CN']).toMatch(/发送消息 → 再提醒一次|再提醒一次 → 发送消息/);
    expect(problems[0]?.message.en).toMatch(/Send message → 再提醒一次|再提醒一次 → Send message/);
    expect(problems[0]?.message.en).not.toMatch(/\bsms2?\b/);

    const waits = validGraph();
    waits.nodes = waits.nodes.filter((n) => n.id !== 'end');
    waits.edges = waits.edges.map((e) => (e.id === 'e3' ? { ...e, target: 'sms' } : e));
    expect(codes(waits)).toEqual([]);
  });

  describe('a node that works only right after an event (freshAfter)', () => {
    const welcome = defineNode({
      ...(samplePackage.nodes.find((n) => n.type === 'sample.send') as (typeof samplePackage.nodes)[number]),
      type: 'sample.welcome',
      freshAfter: {
        events: ['contact.added'],
        arrival: { 'zh-CN': '添加员工', en: 'adding a staff member' },
        why: { 'zh-CN': '欢迎语码 20 秒后失效', en: 'a welcome code expires after 20 s' },
      },
    });
    const registry = createNodeRegistry([
      defineNodePackage({ ...samplePackage, nodes: [...samplePackage.nodes, welcome] }),
    ]);
    /** in (on contact.added) → [steps…] → hi → end; each step is [id, type, config, port it leaves by]. */
    const path = (...steps: Array<[string, string, Record<string, unknown>, string]>) => {
      const nodes = [
        { id: 'in', type: 'sample.eventEntry', typeVersion: 1, config: { event: 'contact.added' }, position: at },
        ...steps.map(([id, type, config]) => ({ id, type, typeVersion: 1, config, position: at })),
        { id: 'hi', type: 'sample.welcome', typeVersion: 1, config: { text: 'hi' }, position: at },
        { id: 'end', type: 'sample.exit', typeVersion: 1, config: {}, position: at },
      ];
      const chain: Array<[string, string]> = [
        ['in', 'next'],
        ...steps.map(([id, , , port]) => [id, port] as [string, string]),
      ];
      const edges = chain.map(([source, port], i) => ({
        id: `e${i}`,
        source,
        sourcePort: port,
        target: steps[i]?.[0] ?? 'hi',
      }));
      edges.push({ id: 'out', source: 'hi', sourcePort: 'sent', target: 'end' });
      return parseJourneyGraph({ nodes, edges });
    };
    const judged = (g: JourneyGraph) =>
      validateGraph(g, registry)
        .filter((p) => p.code === 'waitBeforeFresh' || p.code === 'entryBeforeFresh')
        .map((p) => [p.code, p.nodeId, p.message['zh-CN']]);
    const waitDays = { duration: { amount: 3, unit: 'days' } };

    it('accepts it right after the entry, or after a wait that ended by the event', () => {
      expect(judged(path())).toEqual([]);
      expect(
        judged(
          path([
            'added',
            'sample.waitForEvent',
            { event: 'contact.added', timeout: { amount: 1, unit: 'days' } },
            'matched',
          ]),
        ),
      ).toEqual([]);
      // A wait before that wait does not matter: the contact-added event starts the clock again.
      expect(
        judged(
          path(
            ['w', 'sample.wait', waitDays, 'next'],
            [
              'added',
              'sample.waitForEvent',
              { event: 'contact.added', timeout: { amount: 1, unit: 'days' } },
              'matched',
            ],
          ),
        ),
      ).toEqual([]);
    });

    it('refuses it after an entry whose customers come in some other way, naming the entry', () => {
      const ordered = path();
      ordered.nodes = ordered.nodes.map((n) => (n.id === 'in' ? { ...n, config: { event: 'order.placed' } } : n));
      expect(judged(ordered)).toEqual([
        [
          'entryBeforeFresh',
          'hi',
          '从「事件入口」进入的客户不是因添加员工而来，但欢迎语码 20 秒后失效：这样到达的客户都会发送失败',
        ],
      ]);
      const api = path();
      api.nodes = api.nodes.map((n) =>
        n.id === 'in' ? { ...n, type: 'sample.apiEntry', config: {}, label: '品牌 API' } : n,
      );
      expect(judged(api).map(([code, , text]) => [code, String(text).split('，')[0]])).toEqual([
        ['entryBeforeFresh', '从「品牌 API」进入的客户不是因添加员工而来'],
      ]);
      // …unless a wait for the event comes between.
      const waited = path([
        'added',
        'sample.waitForEvent',
        { event: 'contact.added', timeout: { amount: 1, unit: 'days' } },
        'matched',
      ]);
      waited.nodes = waited.nodes.map((n) => (n.id === 'in' ? { ...n, config: { event: 'order.placed' } } : n));
      expect(judged(waited)).toEqual([]);
    });

    it('refuses it after any other wait, naming the wait', () => {
      const named = path(['w', 'sample.wait', waitDays, 'next']);
      named.nodes = named.nodes.map((n) => (n.id === 'w' ? { ...n, label: '等三天' } : n));
      expect(judged(named)).toEqual([
        [
          'waitBeforeFresh',
          'hi',
          '客户经过「等三天」的等待后才到这里，但欢迎语码 20 秒后失效：这样到达的客户都会发送失败',
        ],
      ]);
      // Waiting for the event but leaving by the timeout, or waiting for another event: refused.
      const timedOut = path([
        'added',
        'sample.waitForEvent',
        { event: 'contact.added', timeout: { amount: 1, unit: 'days' } },
        'timeout',
      ]);
      expect(judged(timedOut).map(([code]) => code)).toEqual(['waitBeforeFresh']);
      const ordered = path([
        'paid',
        'sample.waitForEvent',
        { event: 'order.placed', timeout: { amount: 1, unit: 'days' } },
        'matched',
      ]);
      expect(validateGraph(ordered, registry).find((p) => p.code === 'waitBeforeFresh')?.message.en).toBe(
        'Customers reach this node after waiting at "Wait for event", but a welcome code expires after 20 s: each of them would fail',
      );
    });
  });

  it('reports a self-loop without a wait', () => {
    const g = validGraph();
    g.edges.push({ id: 'self', source: 'sms', sourcePort: 'failed', target: 'sms' });
    expect(codes(g)).toEqual([['cycleWithoutWait', 'sms']]);
  });

  it('reports edges to and from missing nodes', () => {
    const g = validGraph();
    g.edges.push({ id: 'bad1', source: 'sms', sourcePort: 'failed', target: 'ghost' });
    g.edges.push({ id: 'bad2', source: 'phantom', sourcePort: 'next', target: 'end' });
    const problems = validateGraph(g, testRegistry);
    expect(problems.map((p) => [p.code, p.edgeId])).toEqual([
      ['edgeMissingTarget', 'bad1'],
      ['edgeMissingSource', 'bad2'],
    ]);
    expect(problems[0]?.message.en).toContain('ghost');
  });

  it('reports an edge from a port the node does not have, and a port used twice', () => {
    const g = validGraph();
    g.edges.push({ id: 'p1', source: 'sms', sourcePort: 'bounced', target: 'end' });
    g.edges.push({ id: 'p2', source: 'w', sourcePort: 'next', target: 'sms' });
    expect(codes(g)).toEqual([
      ['unknownPort', 'sms'],
      ['portConnectedTwice', 'w'],
    ]);
  });

  it('reports duplicate node ids and edges into an entry', () => {
    const g = validGraph();
    g.nodes.push({
      id: 'w',
      type: 'sample.wait',
      typeVersion: 1,
      config: { duration: { amount: 1, unit: 'hours' } },
      position: at,
    });
    g.edges.push({ id: 'back', source: 'sms', sourcePort: 'failed', target: 'in' });
    expect(codes(g)).toEqual([
      ['duplicateNodeId', 'w'],
      ['edgeIntoEntry', 'in'],
      // in → sms → (failed) → in is also a loop with no wait in it.
      ['cycleWithoutWait', 'in'],
    ]);
  });

  it('upgrades old node versions through their migrations before checking, and reports versions it cannot upgrade', () => {
    // The sample split as if its config had changed shape: version 1 stored one percentage.
    const splitV2 = defineNode({
      ...split,
      version: 2,
      migrations: [
        {
          from: 1,
          name: 'percentages-to-variants',
          up: (old) => ({
            variants: [
              { id: 'a', weight: Number(old.percentA) },
              { id: 'b', weight: 100 - Number(old.percentA) },
            ],
          }),
        },
      ],
    });
    const upgraded = createNodeRegistry([
      defineNodePackage({ ...samplePackage, nodes: samplePackage.nodes.map((n) => (n === split ? splitV2 : n)) }),
    ]);
    const problems = (g: JourneyGraph) => validateGraph(g, upgraded).map((p) => [p.code, p.nodeId ?? null]);
    const g = validGraph();
    g.nodes.push({ id: 's', type: 'sample.split', typeVersion: 1, config: { percentA: 30 }, position: at });
    g.edges = g.edges.map((e) => (e.id === 'e3' ? { ...e, target: 's' } : e));
    g.edges.push({ id: 'sa', source: 's', sourcePort: 'a', target: 'end' });
    g.edges.push({ id: 'sb', source: 's', sourcePort: 'b', target: 'end' });
    expect(problems(g)).toEqual([]);

    g.nodes = g.nodes.map((n) => (n.id === 's' ? { ...n, typeVersion: 9 } : n));
    expect(problems(g)).toEqual([['unsupportedNodeVersion', 's']]);
  });

  it('derives ports from config: a split variant edge is valid only if the variant exists', () => {
    const g = validGraph();
    g.nodes.push({
      id: 's',
      type: 'sample.split',
      typeVersion: 1,
      config: {
        variants: [
          { id: 'copyA', weight: 1 },
          { id: 'copyB', weight: 1 },
        ],
      },
      position: at,
    });
    g.edges = g.edges.map((e) => (e.id === 'e3' ? { ...e, target: 's' } : e));
    g.edges.push({ id: 'sa', source: 's', sourcePort: 'copyA', target: 'end' });
    g.edges.push({ id: 'sc', source: 's', sourcePort: 'copyC', target: 'end' });
    expect(codes(g)).toEqual([
      ['unknownPort', 's'],
      ['unconnectedOutput', 's'],
    ]);
  });

  it('handles a 2,000-node chain without recursion limits', () => {
    const nodes = [
      { id: 'in', type: 'sample.eventEntry', typeVersion: 1, config: { event: 'order.placed' }, position: at },
    ];
    const edges = [];
    for (let i = 0; i < 1999; i++) {
      nodes.push({
        id: `w${i}`,
        type: 'sample.wait',
        typeVersion: 1,
        config: { duration: { amount: 1, unit: 'days' } } as never,
        position: at,
      });
      edges.push({ id: `e${i}`, source: i === 0 ? 'in' : `w${i - 1}`, sourcePort: 'next', target: `w${i}` });
    }
    edges.push({ id: 'loop', source: 'w1998', sourcePort: 'next', target: 'w0' });
    expect(validateGraph(parseJourneyGraph({ nodes, edges }), testRegistry)).toEqual([]);
  });
});
