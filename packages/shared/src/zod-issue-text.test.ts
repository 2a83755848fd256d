import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { splitBilingual, zodIssueText } from './zod-issue-text.ts';

const issueOf = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected an issue');
  return parsed.error.issues[0] as z.core.$ZodIssue;
};

describe('zodIssueText', () => {
  it('words numbers plainly in both languages, whatever locale zod runs in', () => {
    z.config(z.locales.zhCN());
    try {
      expect(zodIssueText(issueOf(z.number().positive(), 0))).toEqual({
        'zh-CN': '请输入大于 0 的数字',
        en: 'Enter a number greater than 0',
      });
      expect(zodIssueText(issueOf(z.number(), 'x'))).toEqual({ 'zh-CN': '请输入数字', en: 'Enter a number' });
    } finally {
      z.config(z.locales.en());
    }
    expect(zodIssueText(issueOf(z.number().min(1), 0))['zh-CN']).toBe('请输入不小于 1 的数字');
    expect(zodIssueText(issueOf(z.number().max(100), 101)).en).toBe('Enter a number of at most 100');
    expect(zodIssueText(issueOf(z.number().int(), 1.5)).en).toBe('Enter a whole number');
  });

  it('says a missing value is required, and words texts, lists and formats', () => {
    expect(zodIssueText(issueOf(z.object({ a: z.string() }), {}))).toEqual({
      'zh-CN': '请填写此项',
      en: 'This field is required',
    });
    expect(zodIssueText(issueOf(z.string().min(1), '')).en).toBe('This field is required');
    expect(zodIssueText(issueOf(z.string().max(3), 'abcd'))['zh-CN']).toBe('最多输入 3 个字');
    expect(zodIssueText(issueOf(z.array(z.string()).min(2), ['a'])).en).toBe('Add at least 2 item(s)');
    expect(zodIssueText(issueOf(z.url(), 'nope'))['zh-CN']).toMatch(/^请输入有效的网址/);
    expect(zodIssueText(issueOf(z.enum(['a', 'b']), 'c')).en).toBe('Choose one of the options');
    for (const text of Object.values(zodIssueText(issueOf(z.number().positive(), -1))))
      expect(text).not.toMatch(/expected|期望|number >|>0/);
  });

  it("keeps a schema's own message, splitting one written in both languages", () => {
    const own = issueOf(z.string().min(1, { message: '请填写任务标题 / enter a title' }), '');
    expect(zodIssueText(own)).toEqual({ 'zh-CN': '请填写任务标题', en: 'enter a title' });
    expect(
      splitBilingual('营销短信须写明退订方式，如“拒收请回复R” / A marketing SMS must say how, e.g. 拒收请回复R'),
    ).toEqual({
      'zh-CN': '营销短信须写明退订方式，如“拒收请回复R”',
      en: 'A marketing SMS must say how, e.g. 拒收请回复R',
    });
    expect(splitBilingual('https://a.b/c / d')).toBeUndefined();
  });
});
