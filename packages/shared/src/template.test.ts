import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bracesSentAsTyped, checkTemplateBraces, renderTemplate } from './template.ts';
import { splitBilingual } from './zod-issue-text.ts';

describe('renderTemplate', () => {
  it('fills a name an import header gave, punctuation and all', () => {
    expect(
      renderTemplate('生日：{{生日(月/日)}}，{{attributes.会员-等级}}', {
        '生日(月/日)': '3/14',
        attributes: { '会员-等级': '金卡' },
      }),
    ).toBe('生日：3/14，金卡');
  });

  it('fills Chinese attribute names, nested or flattened', () => {
    const vars = { displayName: '张丽', 等级: '金卡', attributes: { 等级: '金卡', city: '上海' } };
    expect(
      renderTemplate('{{displayName}}，您的{{ attributes.等级 }}会员（{{等级}}）在{{attributes.city}}', vars),
    ).toBe('张丽，您的金卡会员（金卡）在上海');
  });

  it('renders a missing value as nothing and leaves what is not a placeholder alone', () => {
    expect(renderTemplate('{{没有}}|{{a b}}|{{}}|{ {x} }', { x: 1 })).toBe('|{{a b}}|{{}}|{ {x} }');
  });
});

describe('bracesSentAsTyped', () => {
  it('lists the braces renderTemplate would leave in the text, once each', () => {
    expect(bracesSentAsTyped('{{displayName}}{{ 等级 }}{{客户 名}}{{}}{{生日(月/日)}}{{客户 名}}{{ }}')).toEqual([
      '{{客户 名}}',
      '{{}}',
      '{{ }}',
    ]);
    expect(bracesSentAsTyped('您好 {{displayName}}，{{attributes.city}}')).toEqual([]);
  });
});

describe('checkTemplateBraces', () => {
  it('refuses braces sent as typed, in words each language reads', () => {
    const schema = z.string().superRefine(checkTemplateBraces);
    expect(schema.safeParse('{{displayName}}您好').success).toBe(true);
    const refused = schema.safeParse('{{客户 名}}您好');
    expect(refused.success).toBe(false);
    expect(splitBilingual(refused.error?.issues[0]?.message ?? '')).toEqual({
      'zh-CN': '{{客户 名}} 不是变量，会按原样发出（变量名不能为空，也不能有空格）',
      en: 'Not a variable, it would be sent as typed: {{客户 名}} (a name is not empty and has no spaces)',
    });
  });
});
