// biome-ignore-all lint/suspicious/noTemplateCurlyInString: SMS template texts in Aliyun's ${name} syntax
import { describe, expect, it } from 'vitest';
import {
  fillTemplateText,
  RegisterSmsTemplateSchema,
  SmsVariableMappingSchema,
  templateVariableNames,
  unmappedVariables,
  variableValue,
} from './templates.ts';

describe('SMS templates', () => {
  it('finds the variables: Aliyun by first use, Tencent by number (TemplateParamSet is positional)', () => {
    expect(templateVariableNames('${name}您好，${code}，再见${name}')).toEqual(['name', 'code']);
    expect(templateVariableNames('{2}的会员{1}您好，{ 3 }')).toEqual(['1', '2', '3']);
    expect(fillTemplateText('{2}的会员{1}您好', { '1': '王芳', '2': '小店' })).toBe('小店的会员王芳您好');
    expect(fillTemplateText('${name}您好${gone}', { name: '王芳' })).toBe('王芳您好');
  });

  it('a variable is unmapped without a source, or naming no attribute or stock; fixed text may be empty', () => {
    const m = (source: string, value = '') => SmsVariableMappingSchema.parse({ source, value });
    expect(
      unmappedVariables('${a}${b}${c}${d}${e}', { a: m('attribute'), b: m('coupon'), c: m('text'), d: m('link') }),
    ).toEqual(['a', 'b', 'e']);
  });

  it('gives each source its value for one customer', () => {
    const inputs = {
      displayName: '王芳',
      phone: '+86 138-0013-8001',
      attributes: { city: '上海', visits: 3 },
      couponCode: (stockId: string) => (stockId === 'stk1' ? 'cpn_1' : undefined),
      link: 'https://b.cn/l?c=abc',
    };
    const value = (source: string, v = '') =>
      variableValue(SmsVariableMappingSchema.parse({ source, value: v }), inputs);
    expect([
      value('displayName'),
      value('phoneTail'),
      value('attribute', 'city'),
      value('attribute', 'visits'),
      value('attribute', 'none'),
      value('coupon', 'stk1'),
      value('coupon', 'other'),
      value('link'),
      value('text', '静安店'),
    ]).toEqual(['王芳', '8001', '上海', '3', '', 'cpn_1', '', 'https://b.cn/l?c=abc', '静安店']);
  });

  it('registration refuses a marketing text without opt-out words and the other provider’s syntax', () => {
    const base = { name: 'n', signName: '私域小店', templateCode: 'SMS_1', kind: 'notice' as const };
    const paths = (input: object) =>
      RegisterSmsTemplateSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths({ ...base, provider: 'aliyun', text: '${name}您好' })).toBeUndefined();
    expect(paths({ ...base, provider: 'aliyun', kind: 'marketing', text: '大促' })).toEqual([
      expect.stringMatching(/^text: .*拒收请回复R/),
    ]);
    expect(paths({ ...base, provider: 'tencent', text: '${name}您好' })).toEqual([
      expect.stringMatching(/^text: .*\{1\}/),
    ]);
    expect(paths({ ...base, provider: 'aliyun', signName: '【私域】', text: 'x' })).toEqual([
      expect.stringMatching(/^signName: /),
    ]);
  });
});
