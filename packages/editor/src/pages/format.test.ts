import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import { formatDuration, percent } from './format.ts';

beforeAll(() => loadLanguage('en'));

describe('page formatting', () => {
  it('formats simulated durations to the minute in both languages', () => {
    expect(formatDuration(0, 'zh-CN')).toBe('0 分钟');
    expect(formatDuration(3 * 86_400_000 + 2 * 3_600_000, 'zh-CN')).toBe('3 天 2 小时');
    expect(formatDuration(90_000 + 3_600_000, 'en')).toBe('1 h 2 min');
  });
  it('formats shares with a decimal only when small', () => {
    expect(percent(0.5)).toBe('50%');
    expect(percent(0.034)).toBe('3.4%');
    expect(percent(0)).toBe('0%');
  });
});
