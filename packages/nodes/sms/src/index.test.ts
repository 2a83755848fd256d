import { describe, expect, it } from 'vitest';
import {
  countSmsParts,
  isOptOutReply,
  normalizeMainlandPhone,
  renderTemplate,
  SendSmsConfigSchema,
  sendSms,
} from './index.ts';

describe('countSmsParts', () => {
  it('bills ≤70 characters including the signature as one part', () => {
    expect(countSmsParts('a'.repeat(64), '品牌')).toEqual({ chars: 68, parts: 1 });
    expect(countSmsParts('a'.repeat(66), '品牌')).toEqual({ chars: 70, parts: 1 });
  });
  it('splits longer texts into 67-character parts', () => {
    expect(countSmsParts('a'.repeat(67), '品牌')).toEqual({ chars: 71, parts: 2 });
    expect(countSmsParts('字'.repeat(130), '品牌')).toEqual({ chars: 134, parts: 2 });
    expect(countSmsParts('字'.repeat(131), '品牌')).toEqual({ chars: 135, parts: 3 });
  });
});

describe('normalizeMainlandPhone', () => {
  it('accepts the +86 forms with spaces and dashes', () => {
    for (const input of ['13800138000', '138 0013 8000', '+86 138-0013-8000', '008613800138000', '19212345678']) {
      expect(normalizeMainlandPhone(input)).toEqual({
        ok: true,
        e164: input.startsWith('192') ? '+8619212345678' : '+8613800138000',
      });
    }
  });
  it('rejects landlines, short numbers and foreign numbers with a reason', () => {
    for (const input of ['12800138000', '1380013800', '+1 415 555 0100', '', '010-12345678']) {
      const r = normalizeMainlandPhone(input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/phone|mobile/);
    }
  });
});

describe('renderTemplate / isOptOutReply', () => {
  it('fills nested variables and blanks missing ones', () => {
    expect(
      renderTemplate('{{attributes.name}}您好 {{ link }}{{nope.x}}', { attributes: { name: '王' }, link: 'u.cn/a' }),
    ).toBe('王您好 u.cn/a');
  });
  it('recognises R / T / TD replies only', () => {
    for (const r of ['R', ' r ', 'T', 'td', 'TD\n']) expect(isOptOutReply(r)).toBe(true);
    for (const r of ['Red', '好的', 'TDD', '']) expect(isOptOutReply(r)).toBe(false);
  });
});

describe('sms.send config', () => {
  // A node written before templates were registered: its own code, sign name and text.
  const filled = {
    templateCode: 'SMS_123456789',
    signName: '品牌名',
    content: '{{displayName}}您好，您的会员权益已到账。',
    params: { name: '{{displayName}}' },
  };
  it('a new node asks for a registered template (no placeholders that fail at the provider)', () => {
    const fresh = SendSmsConfigSchema.safeParse(sendSms.defaultConfig);
    expect(fresh.error?.issues.map((i) => i.path.join('.'))).toEqual(['templateId']);
    expect(SendSmsConfigSchema.parse({ templateId: 'smt_1', variables: { name: { source: 'displayName' } } })).toEqual(
      expect.objectContaining({ templateId: 'smt_1', variables: { name: { source: 'displayName', value: '' } } }),
    );
  });
  it('a free-text node keeps its rules: code, sign name, text; marketing text says how to opt out', () => {
    expect(SendSmsConfigSchema.parse(filled).kind).toBe('notice');
    const partial = SendSmsConfigSchema.safeParse({ ...filled, signName: '品', content: '' });
    expect(partial.error?.issues.map((i) => i.path.join('.'))).toEqual(['signName', 'content']);
    const r = SendSmsConfigSchema.safeParse({ ...filled, kind: 'marketing' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['content']);
    expect(r.error?.issues[0]?.message).toContain('拒收请回复R');
    const ok = SendSmsConfigSchema.safeParse({
      ...filled,
      kind: 'marketing',
      content: '大促开始 拒收请回复R',
    });
    expect(ok.success).toBe(true);
  });
  it('rejects a missing template code and a bad tracked link URL', () => {
    const r = SendSmsConfigSchema.safeParse({
      ...filled,
      templateCode: '',
      trackedLink: { url: 'nope' },
    });
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['templateCode', 'trackedLink.url']);
  });
  it('refuses tracked links that would run script (javascript:, data:) — http(s) only', () => {
    for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>']) {
      const r = SendSmsConfigSchema.safeParse({ ...filled, trackedLink: { url } });
      expect(
        r.error?.issues.map((i) => [i.path.join('.'), i.message]),
        url,
      ).toEqual([['trackedLink.url', expect.stringMatching(/http/)]]);
    }
  });
  it('has sent/failed/skipped ports and the sms channel', () => {
    expect(sendSms.effect).toEqual({ channel: 'sms', failurePort: 'failed', skippedPort: 'skipped' });
  });
});
