import type { TFunction } from 'i18next';
import type { HTMLAttributes } from 'react';
/**
 * `onRow` attributes for an antd Table row: a test id and data-* facts (tests and support find rows
 * by them), plus whatever handlers the page adds. antd types `onRow` as plain HTML attributes,
 * which have no data-* keys.
 */
export function rowAttributes(
  testId: string,
  data: Record<string, string | number | boolean | undefined> = {},
  extra: HTMLAttributes<HTMLElement> = {},
): HTMLAttributes<HTMLElement> {
  const attributes: Record<string, unknown> = { 'data-testid': testId, ...extra };
  for (const [key, value] of Object.entries(data)) if (value !== undefined) attributes[`data-${key}`] = String(value);
  return attributes as HTMLAttributes<HTMLElement>;
}

/** Compares two texts the way the operator's language sorts them (pinyin order in Chinese). */
export const byText =
  <T>(pick: (row: T) => string, locale: string) =>
  (a: T, b: T) =>
    pick(a).localeCompare(pick(b), locale === 'en' ? 'en' : 'zh-CN');

/** Compares two rows by a number (counts, times). */
export const byNumber =
  <T>(pick: (row: T) => number) =>
  (a: T, b: T) =>
    pick(a) - pick(b);

/** Table pagination the pages share: 20 rows, the size changer, and "1-20 / 57" in the UI language. */
export function pagination(t: TFunction, pageSize = 20) {
  return {
    defaultPageSize: pageSize,
    showSizeChanger: true,
    hideOnSinglePage: false,
    showTotal: (total: number, [from, to]: [number, number]) => t('kit:table.fromToOfTotal', { from, to, total }),
  };
}
