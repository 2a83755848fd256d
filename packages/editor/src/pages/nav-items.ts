import type { TFunction } from 'i18next';
import {
  AUDIT_HREF,
  CALLBACKS_HREF,
  CHANNELS_HREF,
  COUPONS_HREF,
  CREDENTIALS_HREF,
  CUSTOMERS_HREF,
  IMPORT_HREF,
  SMS_TEMPLATES_HREF,
  sandboxHref,
  TAGS_HREF,
  TASKS_HREF,
  TEAM_HREF,
} from '../app/routes.ts';
import { CHANNEL_REPORT_HREF } from '../reports/route.ts';

/**
 * The pages the header links to, in order, each with its catalog key and who may see it. A new page
 * adds one entry here (and its route in app/routes.ts); PageNav renders the list: an item with a
 * `group` sits in that group's menu (the header keeps to one line in both languages).
 */
export interface NavItem {
  /** Marks the current page (`<PageNav current=…>`) and names the link in tests (`nav-<key>`). */
  key: string;
  href: string;
  /** The link's text (a literal `t` call, so the catalog check sees the key). */
  label: (t: TFunction) => string;
  adminOnly?: boolean;
  group?: NavGroup;
}

/** The header's menus, in the order they appear (each where its first item would be). */
export const NAV_GROUPS = {
  customers: (t: TFunction) => t('pages:pageNav.groups.customers'),
  channels: (t: TFunction) => t('pages:pageNav.groups.channels'),
  resources: (t: TFunction) => t('pages:pageNav.groups.resources'),
  settings: (t: TFunction) => t('pages:pageNav.groups.settings'),
} as const;
export type NavGroup = keyof typeof NAV_GROUPS;

export const NAV_ITEMS = [
  { key: 'journeys', href: '#/', label: (t) => t('pages:pageNav.journeys') },
  { key: 'customers', href: CUSTOMERS_HREF, label: (t) => t('pages:customersPage.customers'), group: 'customers' },
  { key: 'import', href: IMPORT_HREF, label: (t) => t('importer:nav'), group: 'customers' },
  { key: 'tags', href: TAGS_HREF, label: (t) => t('tags:title'), group: 'customers' },
  { key: 'channels', href: CHANNELS_HREF, label: (t) => t('pages:pageNav.channels'), group: 'channels' },
  {
    key: 'channelReport',
    href: CHANNEL_REPORT_HREF,
    label: (t) => t('pages:pageNav.channelReport'),
    group: 'channels',
  },
  { key: 'coupons', href: COUPONS_HREF, label: (t) => t('resources:nav.couponBatches'), group: 'resources' },
  { key: 'smsTemplates', href: SMS_TEMPLATES_HREF, label: (t) => t('resources:nav.smsTemplates'), group: 'resources' },
  {
    key: 'credentials',
    href: CREDENTIALS_HREF,
    label: (t) => t('pages:credentialsPage.credentials'),
    group: 'resources',
  },
  { key: 'sandbox', href: sandboxHref(), label: (t) => t('pages:pageNav.messageSandbox') },
  { key: 'tasks', href: TASKS_HREF, label: (t) => t('team:nav.tasks') },
  { key: 'team', href: TEAM_HREF, label: (t) => t('team:nav.team'), adminOnly: true, group: 'settings' },
  { key: 'audit', href: AUDIT_HREF, label: (t) => t('pages:auditPage.auditLog'), adminOnly: true, group: 'settings' },
  {
    key: 'callbacks',
    href: CALLBACKS_HREF,
    label: (t) => t('pages:callbacksPage.callbackUrls'),
    adminOnly: true,
    group: 'settings',
  },
] as const satisfies readonly NavItem[];

export type NavKey = (typeof NAV_ITEMS)[number]['key'];
