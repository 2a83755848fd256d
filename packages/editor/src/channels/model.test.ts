import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import {
  channelNumbers,
  channelVariantName,
  codeDraft,
  codeInput,
  createInput,
  deliveredName,
  formErrors,
  kindName,
  nextVariantName,
  pickLanguage,
  svgDataUrl,
} from './model.ts';

beforeAll(() => loadLanguage('en'));

const row = (channelId: string, code: string, delivered: number, cameIn: number, scans = 0) => ({
  channelId,
  channelName: channelId,
  kind: 'packageCard',
  code,
  variant: code,
  deliveredRecorded: delivered,
  smsSent: 0,
  delivered,
  scans,
  cameIn,
  recallRate: delivered > 0 ? cameIn / delivered : null,
  orders: 0,
  revenueCents: 0,
  revenuePerDeliveredCents: null,
});

describe('channel model', () => {
  it('names kinds and what "delivered" means per kind, unknown kinds as themselves', () => {
    expect(kindName('packageCard', 'zh-CN')).toBe('包裹卡');
    expect(kindName('smsLink', 'en')).toBe('SMS link');
    expect(kindName('futureKind', 'en')).toBe('futureKind');
    expect(deliveredName('packageCard', 'zh-CN')).toBe('寄出卡片数');
    expect(deliveredName('smsLink', 'en')).toBe('SMS sent');
    expect(deliveredName('futureKind', 'en')).toBe('Delivered');
  });

  it("totals a channel over its codes; recall is the channel's distinct came-in over the total delivered", () => {
    const { byCode, byChannel } = channelNumbers({
      rows: [row('ch1', 'a', 400, 10, 30), row('ch1', 'b', 100, 15, 20), row('ch2', 'c', 0, 3)],
      // 10 + 15 through the codes, but 5 customers came in through both: 20 distinct.
      channelCameIn: [
        { channelId: 'ch1', cameIn: 20 },
        { channelId: 'ch2', cameIn: 3 },
      ],
    });
    expect(byChannel.get('ch1')).toEqual({ delivered: 500, smsSent: 0, scans: 50, cameIn: 20, recallRate: 0.04 });
    // Nothing delivered: no rate (not 0 %, not infinity), even with customers.
    expect(byChannel.get('ch2')).toEqual({ delivered: 0, smsSent: 0, scans: 0, cameIn: 3, recallRate: null });
    expect(byCode.get('b')?.recallRate).toBe(0.15);
  });

  it('builds the API input from the form: empty optional fields left out, text numbers parsed', () => {
    expect(codeInput(codeDraft('A'))).toEqual({ variant: 'A', delivered: 0 });
    expect(codeInput({ variant: 'B', code: ' card-b ', targetUrl: ' https://x.cn/b ', delivered: '1200' })).toEqual({
      variant: 'B',
      code: 'card-b',
      targetUrl: 'https://x.cn/b',
      delivered: 1200,
    });
    // Not a number: sent so the server refuses it on its field (JSON turns NaN into null).
    expect(JSON.parse(JSON.stringify(codeInput({ ...codeDraft('C'), delivered: 'abc' }))).delivered).toBeNull();
    expect(createInput({ name: '双11', kind: 'packageCard', codes: [codeDraft('A')] })).toEqual({
      name: '双11',
      kind: 'packageCard',
      codes: [{ variant: 'A', delivered: 0 }],
    });
  });

  it('turns SVG text into an image URL that decodes back to the same text', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1v1H0z" fill="#000"/></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(url).not.toMatch(/[<>"#]/);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(svg);
  });

  it('shows the UI language half of a bilingual server message, anything else as it is', () => {
    const both = '渠道码须为 3–30 位字母、数字、"_" 或 "-" / code must be 3–30 letters, digits, "_" or "-"';
    expect(pickLanguage(both, 'zh-CN')).toBe('渠道码须为 3–30 位字母、数字、"_" 或 "-"');
    expect(pickLanguage(both, 'en')).toBe('code must be 3–30 letters, digits, "_" or "-"');
    expect(pickLanguage('Invalid URL', 'zh-CN')).toBe('Invalid URL');
    expect(pickLanguage('a / b', 'zh-CN')).toBe('a / b');
    expect(pickLanguage('渠道 Channel x 不存在 not found', 'en')).toBe('渠道 Channel x 不存在 not found');
  });

  it('shows a code made without a variant by a name in the UI language, never the stored "default"', async () => {
    await loadLanguage('zh-CN');
    expect(channelVariantName('default', 'zh-CN')).toBe('默认方案');
    expect(channelVariantName('default', 'en')).toBe('Default');
    expect(channelVariantName('文案 A', 'en')).toBe('文案 A');
    expect(channelVariantName(null, 'en')).toBe('');
  });

  it('suggests the next free variant letter', () => {
    expect(nextVariantName([])).toBe('A');
    expect(nextVariantName(['A', 'C'])).toBe('B');
    expect(nextVariantName(Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i)))).toBe('V27');
  });

  it("puts the server's issues on the form's fields and the rest in the message", () => {
    const error = Object.assign(new Error('[{"code":"too_small"…'), {
      data: {
        issues: [
          { path: 'codes[1].code', message: 'code must be 3–30 letters' },
          { path: 'codes[1].code', message: 'second message on the same field' },
          { path: 'codes[0].wecomConfigId', message: 'too long' },
        ],
      },
    });
    const known = (path: string) => /^codes\[\d+\]\.(code|variant|targetUrl|delivered)$|^name$/.test(path);
    expect(formErrors(error, known, 'en')).toEqual({
      fields: { 'codes[1].code': 'code must be 3–30 letters' },
      message: 'codes[0].wecomConfigId: too long',
    });
    // No issues (forbidden, network): the error's own message.
    expect(formErrors(new Error('需要 operator 角色'), known, 'zh-CN')).toEqual({
      fields: {},
      message: '需要 operator 角色',
    });
  });

  it("shows the server's words for an issue in the operator's language", () => {
    const error = Object.assign(new Error('x'), {
      data: {
        issues: [
          {
            path: 'name',
            message: 'Too small: expected string to have >=1 characters',
            text: { 'zh-CN': '请填写此项', en: 'This field is required' },
          },
        ],
      },
    });
    expect(formErrors(error, (p) => p === 'name', 'zh-CN').fields.name).toBe('请填写此项');
    expect(formErrors(error, (p) => p === 'name', 'en').fields.name).toBe('This field is required');
  });
});
