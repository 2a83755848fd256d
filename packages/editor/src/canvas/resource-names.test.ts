import { channelEntry } from '@siyu/nodes-core';
import { issueCoupon } from '@siyu/nodes-coupons';
import { inviteToGroup } from '@siyu/nodes-wecom';
import { describe, expect, it } from 'vitest';
import { resourceKey, withResourceNames } from './resource-names.ts';

const names = new Map([
  [resourceKey('coupons.stock', 'stock_9f2'), '新客满59减10券'],
  [resourceKey('core.channel', 'ch_7a1'), '包裹卡（天猫）'],
  // A channel whose id equals the batch's: never the batch's name.
  [resourceKey('core.channel', 'stock_gone'), '同名渠道'],
]);

describe('withResourceNames: what a card shows for a server-made or WeCom id', () => {
  it('a coupon batch by its name; an unknown one by nothing, never its id', () => {
    expect(withResourceNames(issueCoupon, { stockId: 'stock_9f2' }, names)).toEqual({ stockId: '新客满59减10券' });
    expect(withResourceNames(issueCoupon, { stockId: 'stock_gone' }, names)).toEqual({ stockId: '' });
  });

  it('group chats (named only inside WeCom): the list of ids is left out, the rest kept', () => {
    const config = { chatIds: ['wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA'], state: 'pkg-card-group' };
    expect(withResourceNames(inviteToGroup, config, names)).toEqual({ chatIds: [], state: 'pkg-card-group' });
  });

  it("a channel entry's channels by name; a channel that does not exist is left out", () => {
    const config = { channelIds: ['ch_7a1', 'ch_package_card'], variants: [] };
    expect(withResourceNames(channelEntry, config, names)).toEqual({ channelIds: ['包裹卡（天猫）'], variants: [] });
  });
});
