import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { attributedOrders, attributionRule } from './attribution.ts';
import { DAY, seedChannels, T0 } from './fixture.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  seedChannels(h.db.sqlite);
});
afterEach(() => h.close());

describe('order attribution (last touch within N days, else first touch)', () => {
  it('credits each fixture order as computed by hand (see fixture.test-helper.ts)', () => {
    const credited = attributedOrders(h.db.sqlite, { windowDays: 7 }).map((o) => [
      o.orderId,
      o.code,
      o.variant,
      o.touch,
    ]);
    // Ordered by placedAt: o1 T0+1d, o4 T0+2d, o7 T0+3d, o5 T0+8d, o8 T0+8d, o2 T0+9d, o6 T0+9d+1h, o3 T0+12d.
    expect(credited).toEqual([
      ['o1', 'card-a', 'A', 'lastTouch'],
      ['o4', 'card-b', 'B', 'lastTouch'],
      ['o7', 'card-a', 'A', 'firstTouch'],
      ['o5', null, null, null],
      ['o8', 'card-a', 'A', 'lastTouch'],
      ['o2', 'card-a', 'A', 'firstTouch'],
      ['o6', 'sms-1', 'default', 'lastTouch'],
      ['o3', 'card-b', 'B', 'lastTouch'],
    ]);
  });

  it('follows the window parameter', () => {
    const byId = (windowDays: number) =>
      Object.fromEntries(attributedOrders(h.db.sqlite, { windowDays }).map((o) => [o.orderId, `${o.code}:${o.touch}`]));
    // 0 days: only a touch at the order's instant counts (o4); o3 falls back to c2's first touch card-a.
    expect(byId(0)).toMatchObject({ o4: 'card-b:lastTouch', o1: 'card-a:firstTouch', o3: 'card-a:firstTouch' });
    // 6 days: o8's touch 7 d before is now outside → first touch (still card-a); 9 days: o2's touch is in.
    expect(byId(6)).toMatchObject({ o8: 'card-a:firstTouch' });
    expect(byId(9)).toMatchObject({ o2: 'card-a:lastTouch', o8: 'card-a:lastTouch' });
    // 31 days: o7's touch 33 d before is still outside.
    expect(byId(31)).toMatchObject({ o7: 'card-a:firstTouch' });
  });

  it('limits orders to [from, to)', () => {
    const ids = attributedOrders(h.db.sqlite, { from: T0 + 2 * DAY, to: T0 + 8 * DAY }).map((o) => o.orderId);
    expect(ids).toEqual(['o4', 'o7']);
  });

  it('states the rule in both languages', () => {
    const rule = attributionRule(5);
    expect(rule).toMatchObject({ rule: 'lastTouch', windowDays: 5, fallback: 'firstTouch' });
    expect(rule.touchEvents).toEqual(['channel.entered', 'link.clicked', 'qr.scanned']);
    expect(rule.text['zh-CN']).toContain('5 天');
    expect(rule.text.en).toContain('5 days');
  });
});
