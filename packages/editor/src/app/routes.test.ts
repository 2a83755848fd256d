import { describe, expect, it } from 'vitest';
import {
  API_KEYS_HREF,
  AUDIT_HREF,
  CALLBACKS_HREF,
  CHANNELS_HREF,
  CUSTOMERS_HREF,
  channelHref,
  channelQrHref,
  customerHref,
  parsePageRoute,
  STAFF_HREF,
  sandboxHref,
  TAGS_HREF,
  TASKS_HREF,
  TEAM_HREF,
} from './routes.ts';

describe('page routes', () => {
  it('round-trips the sandbox inbox (optionally per customer) and customer profiles', () => {
    expect(parsePageRoute(sandboxHref())).toEqual({ page: 'sandbox' });
    expect(parsePageRoute(sandboxHref('c 1&x'))).toEqual({ page: 'sandbox', customerId: 'c 1&x' });
    expect(parsePageRoute(customerHref('wm/42'))).toEqual({ page: 'customer', customerId: 'wm/42' });
    expect(parsePageRoute(CUSTOMERS_HREF)).toEqual({ page: 'customers' });
    expect(parsePageRoute(TAGS_HREF)).toEqual({ page: 'tags' });
    expect(parsePageRoute('#/customers/')).toBeNull();
    expect(parsePageRoute('#/reports/channels')).toBeNull();
    expect(parsePageRoute('')).toBeNull();
  });

  it('round-trips the channel list, a channel and its QR sheet', () => {
    expect(parsePageRoute(CHANNELS_HREF)).toEqual({ page: 'channels' });
    expect(parsePageRoute(channelHref('ch_1/é'))).toEqual({ page: 'channel', channelId: 'ch_1/é' });
    expect(parsePageRoute(channelQrHref('ch_1/é'))).toEqual({ page: 'channelQr', channelId: 'ch_1/é' });
    expect(parsePageRoute('#/channels/')).toBeNull();
    expect(parsePageRoute('#/channels/ch_1/print')).toBeNull();
    expect(parsePageRoute(AUDIT_HREF)).toEqual({ page: 'audit' });
    expect(parsePageRoute(CALLBACKS_HREF)).toEqual({ page: 'callbacks' });
    expect(parsePageRoute(TEAM_HREF)).toEqual({ page: 'team', tab: 'operators' });
    expect(parsePageRoute(API_KEYS_HREF)).toEqual({ page: 'team', tab: 'apiKeys' });
    expect(parsePageRoute(STAFF_HREF)).toEqual({ page: 'team', tab: 'staff' });
    expect(parsePageRoute(TASKS_HREF)).toEqual({ page: 'tasks' });
    expect(parsePageRoute('#/set-password?token=inv_a%2Bb')).toEqual({ page: 'setPassword', token: 'inv_a+b' });
  });
});
