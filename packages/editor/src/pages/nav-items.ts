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
 * adds one entry here (and its route in app/routes.ts); PageNav renders the list.
 */
export interface NavItem {
  /** Marks the current page (`<PageNav current=…>`) and names the link in tests (`nav-<key>`). */
  key: string;
  href: string;
  /** The link's text (a literal `t` call, so the catalog check sees the key). */
  label: (t: TFunction) => string;
  adminOnly?: boolean;
}

export const NAV_ITEMS = [
  { key: 'journeys', href: '#/', label: (t) => t('pages:pageNav.journeys') },
  { key: 'customers', href: CUSTOMERS_HREF, label: (t) => t('pages:customersPage.customers') },
  { key: 'tags', href: TAGS_HREF, label: (t) => t('tags:title') },
  { key: 'import', href: IMPORT_HREF, label: (t) => t('importer:nav') },
  { key: 'channels', href: CHANNELS_HREF, label: (t) => t('pages:pageNav.channels') },
  { key: 'coupons', href: COUPONS_HREF, label: (t) => t('resources:nav.couponBatches') },
  { key: 'smsTemplates', href: SMS_TEMPLATES_HREF, label: (t) => t('resources:nav.smsTemplates') },
  { key: 'sandbox', href: sandboxHref(), label: (t) => t('pages:pageNav.messageSandbox') },
  { key: 'channelReport', href: CHANNEL_REPORT_HREF, label: (t) => t('pages:pageNav.channelReport') },
  { key: 'credentials', href: CREDENTIALS_HREF, label: (t) => t('pages:credentialsPage.credentials') },
  { key: 'audit', href: AUDIT_HREF, label: (t) => t('pages:auditPage.auditLog'), adminOnly: true },
  { key: 'callbacks', href: CALLBACKS_HREF, label: (t) => t('pages:callbacksPage.callbackUrls'), adminOnly: true },
  { key: 'tasks', href: TASKS_HREF, label: (t) => t('team:nav.tasks') },
  { key: 'team', href: TEAM_HREF, label: (t) => t('team:nav.team'), adminOnly: true },
] as const satisfies readonly NavItem[];

export type NavKey = (typeof NAV_ITEMS)[number]['key'];
