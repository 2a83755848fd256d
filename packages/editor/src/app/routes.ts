import { useEffect, useState } from 'react';

/**
 * Pages outside the canvas live behind the hash (#/sandbox, #/customers/<id>, #/channels/<id>),
 * like the report pages, so they open by link, survive a reload and need no router library.
 */
export type PageRoute =
  | { page: 'sandbox'; customerId?: string }
  | { page: 'customers' }
  | { page: 'tags' }
  | { page: 'import' }
  | { page: 'customer'; customerId: string }
  | { page: 'channels' }
  | { page: 'channel'; channelId: string }
  | { page: 'channelQr'; channelId: string }
  | { page: 'audit' }
  | { page: 'credentials' }
  | { page: 'callbacks' }
  | { page: 'coupons' }
  | { page: 'smsTemplates' }
  | { page: 'team'; tab: TeamTab }
  | { page: 'tasks' }
  | { page: 'setPassword'; token: string };

/** The Team page's tabs, each with its own address. */
export type TeamTab = 'operators' | 'apiKeys' | 'staff';

export function parsePageRoute(hash: string): PageRoute | null {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  if (path === '/sandbox') {
    const customerId = new URLSearchParams(query).get('customer') ?? undefined;
    return customerId ? { page: 'sandbox', customerId } : { page: 'sandbox' };
  }
  if (path === '/customers') return { page: 'customers' };
  if (path === '/tags') return { page: 'tags' };
  if (path === '/import') return { page: 'import' };
  if (path === '/audit') return { page: 'audit' };
  if (path === '/credentials') return { page: 'credentials' };
  if (path === '/callbacks') return { page: 'callbacks' };
  if (path === '/coupons') return { page: 'coupons' };
  if (path === '/sms-templates') return { page: 'smsTemplates' };
  if (path === '/team') return { page: 'team', tab: 'operators' };
  if (path === '/team/api-keys') return { page: 'team', tab: 'apiKeys' };
  if (path === '/team/staff') return { page: 'team', tab: 'staff' };
  if (path === '/tasks') return { page: 'tasks' };
  if (path === '/set-password') return { page: 'setPassword', token: new URLSearchParams(query).get('token') ?? '' };
  const customer = /^\/customers\/([^/]+)$/.exec(path);
  if (customer) return { page: 'customer', customerId: decodeURIComponent(customer[1] as string) };
  if (path === '/channels') return { page: 'channels' };
  const channel = /^\/channels\/([^/]+)(\/qr)?$/.exec(path);
  if (channel) {
    const channelId = decodeURIComponent(channel[1] as string);
    return channel[2] ? { page: 'channelQr', channelId } : { page: 'channel', channelId };
  }
  return null;
}

export const sandboxHref = (customerId?: string) =>
  customerId ? `#/sandbox?customer=${encodeURIComponent(customerId)}` : '#/sandbox';
export const customerHref = (customerId: string) => `#/customers/${encodeURIComponent(customerId)}`;
export const CUSTOMERS_HREF = '#/customers';
export const TAGS_HREF = '#/tags';
export const IMPORT_HREF = '#/import';
export const CHANNELS_HREF = '#/channels';
export const AUDIT_HREF = '#/audit';
export const CREDENTIALS_HREF = '#/credentials';
export const CALLBACKS_HREF = '#/callbacks';
export const TEAM_HREF = '#/team';
export const API_KEYS_HREF = '#/team/api-keys';
export const STAFF_HREF = '#/team/staff';
export const TASKS_HREF = '#/tasks';
/** The one-time set-password link an admin sends a new colleague (the token is in the hash, never sent in a request line). */
export const setPasswordUrl = (token: string) =>
  `${location.origin}${location.pathname}#/set-password?token=${encodeURIComponent(token)}`;
/** The credentials page with a new credential of `type` open (the node inspector's "新建凭据"). */
export const newCredentialHref = (type: string) => `${CREDENTIALS_HREF}?new=${encodeURIComponent(type)}`;
export const COUPONS_HREF = '#/coupons';
export const SMS_TEMPLATES_HREF = '#/sms-templates';
/** The coupon batches page with its "new batch" form open (the coupon node's "新建券批次"). */
export const NEW_COUPON_BATCH_HREF = `${COUPONS_HREF}?new=1`;
/** The SMS templates page with its "register" form open (the SMS node's "登记短信模板"). */
export const NEW_SMS_TEMPLATE_HREF = `${SMS_TEMPLATES_HREF}?new=1`;
export const channelHref = (channelId: string) => `#/channels/${encodeURIComponent(channelId)}`;
export const channelQrHref = (channelId: string) => `${channelHref(channelId)}/qr`;

export function usePageRoute(): PageRoute | null {
  const [route, setRoute] = useState(() => parsePageRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parsePageRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
