import { describe, expect, it } from 'vitest';
import { errorText } from './query.ts';

describe('errorText', () => {
  it('words a coded server error in the language chosen now, not the one it arrived in', () => {
    // As the tRPC client holds it: the message in Chinese (the language when it arrived), the code beside.
    const arrivedInChinese = Object.assign(new Error('第 3 行有一个没有闭合的引号'), {
      data: { code: 'BAD_REQUEST', error: { key: 'import.unclosedQuote', params: { row: 3 } } },
    });
    expect(errorText(arrivedInChinese, 'en')).toMatch(/^Row 3 has a quote that is never closed/);
    expect(errorText(arrivedInChinese, 'zh-CN')).toMatch(/^第 3 行有一个没有闭合的引号/);
  });

  it('keeps the words of an error without a known code, and shows nothing for none', () => {
    expect(errorText(new Error('network down'), 'en')).toBe('network down');
    const unknownCode = Object.assign(new Error('服务器错误'), { data: { error: { key: 'no.suchKey' } } });
    expect(errorText(unknownCode, 'en')).toBe('服务器错误');
    expect(errorText(undefined)).toBe('');
  });
});
