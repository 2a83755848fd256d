import { describe, expect, it } from 'vitest';
import { SIGNED_TIMESTAMP_WINDOW_SECONDS, signedTimestampFresh } from './server-sdk.ts';

describe('signedTimestampFresh', () => {
  const now = 1_700_000_000_000;
  it('accepts a timestamp inside the window, either side', () => {
    expect(signedTimestampFresh('1700000000', now)).toBe(true);
    expect(signedTimestampFresh(String(1_700_000_000 - SIGNED_TIMESTAMP_WINDOW_SECONDS), now)).toBe(true);
    expect(signedTimestampFresh(String(1_700_000_000 + SIGNED_TIMESTAMP_WINDOW_SECONDS), now)).toBe(true);
  });
  it('refuses one outside the window', () => {
    expect(signedTimestampFresh(String(1_700_000_000 - SIGNED_TIMESTAMP_WINDOW_SECONDS - 1), now)).toBe(false);
    expect(signedTimestampFresh(String(1_700_000_000 + 3600), now)).toBe(false);
    expect(signedTimestampFresh('1700000000', now, 0)).toBe(true);
    expect(signedTimestampFresh('1700000001', now, 0)).toBe(false);
  });
  it('refuses what is not decimal epoch seconds', () => {
    for (const bad of [undefined, '', '17e8', '-1700000000', ' 1700000000', '1700000000.5', '9'.repeat(13)]) {
      expect(signedTimestampFresh(bad, now)).toBe(false);
    }
  });
});
