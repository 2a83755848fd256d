import { describe, expect, it } from 'vitest';
import { OUT_REQUEST_NO, wechatOutRequestNo } from './out-request-no.ts';

describe('wechatOutRequestNo', () => {
  it("keeps an engine key readable: ':' becomes '|'", () => {
    expect(wechatOutRequestNo('100000000:coupon_1:2')).toBe('100000000|coupon_1|2');
    expect(wechatOutRequestNo('stock-welcome')).toBe('stock-welcome');
  });

  it('never maps two engine keys to one value (node ids may hold _ and -)', () => {
    const keys = ['1:a_b:1', '1:a-b:1', '1_a:b:1', '11:a:1', '1:1a:1', '1:a:11'];
    const mapped = new Set(keys.map(wechatOutRequestNo));
    expect(mapped.size).toBe(keys.length);
  });

  it('hashes a key outside the charset or over 128 characters, into the charset', () => {
    for (const key of ['订单/1', 'a b', 'x'.repeat(129), 'k#1']) {
      const value = wechatOutRequestNo(key);
      expect(value).toMatch(/^h-[0-9a-f]{64}$/);
      expect(value).toMatch(OUT_REQUEST_NO);
      expect(wechatOutRequestNo(key)).toBe(value);
    }
    expect(wechatOutRequestNo('a b')).not.toBe(wechatOutRequestNo('a  b'));
  });

  it('the longest engine key (20-digit id, 64-character node id, 10-digit visit) stays readable', () => {
    const key = `${'9'.repeat(20)}:${'n'.repeat(64)}:${'9'.repeat(10)}`;
    expect(wechatOutRequestNo(key)).toBe(key.replaceAll(':', '|'));
  });
});
