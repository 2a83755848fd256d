import { describe, expect, it } from 'vitest';
import { variantName } from './variant-name.ts';

describe('variantName', () => {
  const variants = [
    { variantId: 'a', label: '文案 A' },
    { variantId: 'b', label: '文案 B' },
  ];

  it('names a variant by its label, never its key', () => {
    expect(variantName(variants, 'a')).toBe('文案 A');
    expect(variantName(variants, 'b')).toBe('文案 B');
  });

  it('tells apart variants that share a name by their place among them', () => {
    const twins = [...variants, { variantId: 'c', label: '文案 A' }];
    expect(variantName(twins, 'a')).toBe('文案 A #1');
    expect(variantName(twins, 'c')).toBe('文案 A #2');
    expect(variantName(twins, 'b')).toBe('文案 B');
  });
});
