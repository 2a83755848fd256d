import type { JourneyGraph } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import { nodeTitle } from './node-title.ts';

describe('nodeTitle', () => {
  it('names a node by its canvas label, else by its type in the chosen language, never by its id', () => {
    const registry = {
      get: (type: string) =>
        type === 'sms.send'
          ? ({ label: { 'zh-CN': '发送短信', en: 'Send SMS' } } as ReturnType<Parameters<typeof nodeTitle>[2]['get']>)
          : undefined,
    };
    const graph = {
      nodes: [
        { id: 'welcome', type: 'sms.send', config: {} },
        { id: 'n2', type: 'sms.send', label: '复购提醒', config: {} },
        { id: 'n3', type: 'gone.node', config: {} },
      ],
    } as unknown as JourneyGraph;
    const en = (t: { en: string }) => t.en;
    expect(nodeTitle(graph, 'welcome', registry, en, '?')).toBe('Send SMS');
    expect(nodeTitle(graph, 'n2', registry, en, '?')).toBe('复购提醒');
    expect(nodeTitle(graph, 'n3', registry, en, 'Unknown node')).toBe('Unknown node');
    expect(nodeTitle(graph, 'missing', registry, en, 'Unknown node')).toBe('Unknown node');
  });
});
