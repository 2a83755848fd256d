import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import { stepKindText } from './step-kinds.ts';

beforeAll(() => loadLanguage('en'));

describe('step kind words', () => {
  it('reads a known kind from the catalog in either language', () => {
    expect(stepKindText('enter', 'zh-CN')).toBe('进入旅程');
    expect(stepKindText('retry', 'en')).toBe('Retried by an operator');
  });

  it('calls a kind this build does not know a plain step', () => {
    expect(stepKindText('teleport', 'zh-CN')).toBe('步骤');
    expect(stepKindText('teleport', 'en')).toBe('Step');
  });
});
