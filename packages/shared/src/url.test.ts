import { describe, expect, it } from 'vitest';
import { HttpUrlSchema, safeHttpUrl } from './url.ts';

describe('HttpUrlSchema', () => {
  it('accepts absolute http(s) URLs, IPs, ports and IDN hosts', () => {
    for (const url of [
      'https://shop.example.cn/p/1?a=1&b=2#x',
      'http://localhost:3000/a',
      'https://127.0.0.1/x',
      'https://例子.中国/a',
      'HTTPS://A.CN',
    ]) {
      expect(HttpUrlSchema.safeParse(url).success, url).toBe(true);
    }
  });

  it('refuses script-running and other schemes, relative URLs and overlong ones, with a message', () => {
    for (const url of [
      'javascript:alert(document.cookie)',
      ' JavaScript:alert(1)',
      'javascript://a.cn/%0aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://a.cn/f',
      '/relative/path',
      'https://',
      `https://a.cn/${'x'.repeat(2048)}`,
    ]) {
      const r = HttpUrlSchema.safeParse(url);
      expect(r.success, url).toBe(false);
      expect(r.error?.issues[0]?.message, url).toMatch(/http|URL/);
    }
  });

  it('safeHttpUrl returns the trimmed URL or undefined', () => {
    expect(safeHttpUrl(' https://a.cn/x ')).toBe('https://a.cn/x');
    expect(safeHttpUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeHttpUrl(null)).toBeUndefined();
  });
});
