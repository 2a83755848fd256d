import { describe, expect, it } from 'vitest';
import { distinctNames } from './distinct-names.ts';

describe('distinctNames', () => {
  it('keeps a name nothing else shares and numbers the ones that are shared, in order', () => {
    const nodes = [
      { id: 'a', name: '发送短信' },
      { id: 'b', name: '欢迎语' },
      { id: 'c', name: '发送短信' },
    ];
    const names = distinctNames(
      nodes,
      (n) => n.id,
      (n) => n.name,
    );
    expect([...names]).toEqual([
      ['a', '发送短信 #1'],
      ['b', '欢迎语'],
      ['c', '发送短信 #2'],
    ]);
  });
});
