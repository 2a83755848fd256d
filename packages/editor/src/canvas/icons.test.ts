import { describe, expect, it } from 'vitest';
import { iconFor } from './icons.ts';

describe('iconFor', () => {
  it('maps icon names, with the category as the fallback', () => {
    expect(iconFor('gift', 'offer')).toBe('🎁');
    expect(iconFor('sms-send', 'message')).toBe('💬');
    expect(iconFor('no-such-icon', 'goal')).toBe('🎯');
    expect(iconFor('', 'unknown')).toBe('◻️');
  });

  it('shows an emoji a node package gives as its icon', () => {
    expect(iconFor('🎰', 'offer')).toBe('🎰');
    expect(iconFor('🧑‍💼', 'integration')).toBe('🧑‍💼');
    expect(iconFor('❤️', 'flow')).toBe('❤️');
    expect(iconFor('🇨🇳', 'flow')).toBe('🇨🇳');
    expect(iconFor('1️⃣', 'flow')).toBe('1️⃣');
    expect(iconFor(' 📦 ', 'flow')).toBe('📦');
  });
});
