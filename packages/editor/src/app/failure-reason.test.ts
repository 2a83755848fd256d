import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import { failureText, retryStepQuestion, stepFailure } from './failure-reason.ts';

beforeAll(() => loadLanguage('en'));

describe('failure reasons in words', () => {
  it('puts known codes in words with a fix, in both languages', () => {
    expect(failureText({ code: 'noPhone', error: '客户没有手机号 / customer has no phone number' }, 'zh-CN')).toEqual({
      reason: '客户没有手机号',
      fix: '为客户补充手机号（导入客户或接口更新）后重试',
      fixOnProfile: true,
    });
    expect(failureText({ code: 'exhausted', error: 'stock empty' }, 'en').reason).toBe('The coupon batch is empty');
    // A template-based SMS whose template went away: a fix on the node, not on the customer.
    expect(
      failureText({ code: 'templateMissing', error: '短信模板不存在 / SMS template t1 does not exist' }, 'zh-CN'),
    ).toEqual({
      reason: '短信模板已不存在',
      fix: '在短信节点重新选择一个已登记的模板，发布后重试',
    });
  });

  it('falls back to "send failed" and the provider message, in the locale half when bilingual; never the code', () => {
    const zh = failureText({ code: 'isv.BUSINESS_LIMIT_CONTROL', error: '触发流控 / flow control' }, 'zh-CN');
    expect(zh.reason).toBe('发送失败：触发流控');
    expect(failureText({ code: 'E42', error: 'provider said no' }, 'en').reason).toBe('Send failed: provider said no');
    expect(JSON.stringify(failureText({ code: 'E42' }, 'en'))).not.toContain('E42');
    expect(failureText({}, 'zh-CN')).toEqual({ reason: '发送失败' });
  });

  it('reads a failure from an error step only', () => {
    expect(stepFailure({ kind: 'error', detail: { key: 'k', error: 'x', code: 'optedOut' } })).toEqual({
      code: 'optedOut',
      error: 'x',
    });
    expect(stepFailure({ kind: 'move' })).toBeUndefined();
  });

  it('asks before a retry, in one language at a time', () => {
    expect(retryStepQuestion('zh-CN')).toContain('继续？');
    expect(retryStepQuestion('zh-CN')).not.toMatch(/[A-Za-z]/);
    expect(retryStepQuestion('en')).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
