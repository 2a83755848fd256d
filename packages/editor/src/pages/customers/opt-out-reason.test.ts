import { describe, expect, it } from 'vitest';
import { optOutReasonText } from './opt-out-reason.ts';

describe('optOutReasonText', () => {
  it('says who opted the customer out, in either language', () => {
    expect(optOutReasonText('operator', 'zh-CN')).toBe('运营人员设为退订');
    expect(optOutReasonText('operator', 'en')).toBe('Opted out by an operator');
    expect(optOutReasonText('replied TD', 'zh-CN')).toBe('客户回复「TD」');
    expect(optOutReasonText('replied 退订', 'en')).toBe('The customer replied “退订”');
  });

  it('shows a reason an API caller wrote as it is', () => {
    expect(optOutReasonText('投诉后人工处理', 'zh-CN')).toBe('投诉后人工处理');
    expect(optOutReasonText('replied', 'en')).toBe('replied');
  });
});
