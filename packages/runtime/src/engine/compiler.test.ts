import { createNodeRegistry, parseJourneyGraph } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { benchmarkJourney, graphOf } from '../../testing/fixtures.ts';
import { CompileError, compileJourney, parseEffectKey, type RunEvent, visitKey } from './compiler.ts';

const registry = createNodeRegistry([samplePackage]);
const customer = { id: 'c1', tags: [], attributes: {}, identities: {} };

describe('compiler', () => {
  it('builds one machine whose steps ask for effects and durable timers instead of running them', () => {
    const compiled = compileJourney('v1', parseJourneyGraph(benchmarkJourney()), registry);
    const now = Date.UTC(2026, 0, 5);
    const [idle] = initialTransition(compiled.machine);
    const [s1, a1] = transition(compiled.machine, idle, {
      type: 'enroll',
      entryNodeId: 'entry',
      customer,
      now,
    } as RunEvent as never);
    expect(s1.value).toEqual({ n_welcome: 'acting' });
    expect(a1.map((a) => [a.type, a.params])).toEqual([
      ['entered', { nodeId: 'entry', visit: 1 }],
      ['left', { nodeId: 'entry', port: 'next' }],
      ['entered', { nodeId: 'welcome', visit: 1 }],
      ['effect', { nodeId: 'welcome', key: 'welcome:1' }],
    ]);
    // A result for another visit is ignored; the right one moves on.
    const [same] = transition(compiled.machine, s1, {
      type: 'effect.result',
      key: 'welcome:2',
      port: 'sent',
      customer,
      now,
    } as never);
    expect(same.value).toEqual({ n_welcome: 'acting' });
    const [s2] = transition(compiled.machine, s1, {
      type: 'effect.result',
      key: 'welcome:1',
      port: 'sent',
      customer,
      now,
    } as never);
    const [s3, a3] = transition(compiled.machine, s2, {
      type: 'effect.result',
      key: 'tagNew:1',
      port: 'next',
      customer,
      now,
    } as never);
    expect(s3.value).toEqual({ n_wait1d: 'awaiting' });
    expect((a3 as Array<{ type: string; params?: unknown }>).find((a) => a.type === 'timer')?.params).toEqual({
      key: 'wait1d:1',
      at: now + 86_400_000,
    });
    // No in-memory delays: the machine has no `after` transitions anywhere.
    expect(JSON.stringify(compiled.machine.definition)).not.toContain('xstate.after');
  });

  it('names the node when a graph uses an unknown type or an invalid config', () => {
    const unknown = graphOf([['a', 'nope.missing', {}]], []);
    expect(() => compileJourney('v', parseJourneyGraph(unknown), registry)).toThrow(CompileError);
    expect(() => compileJourney('v', parseJourneyGraph(unknown), registry)).toThrow(/node a: unknown node type/);
    const bad = graphOf([['w', 'sample.wait', { duration: 'soon' }]], []);
    expect(() => compileJourney('v', parseJourneyGraph(bad), registry)).toThrow(/node w: invalid config/);
  });
});

describe('parseEffectKey', () => {
  it('reads back the instance, node and visit of a key the engine made', () => {
    expect(parseEffectKey(`100000007:${visitKey('coupon', 3)}`)).toEqual({
      instanceId: 100000007,
      nodeId: 'coupon',
      visit: 3,
    });
    expect(parseEffectKey('100000007:call-1:2:extra')).toEqual({ instanceId: 100000007, nodeId: 'call-1', visit: 2 });
  });

  it('is undefined for a key the engine did not make', () => {
    expect(parseEffectKey('api-order-991')).toBeUndefined();
    expect(parseEffectKey('abc:coupon:1')).toBeUndefined();
  });
});
