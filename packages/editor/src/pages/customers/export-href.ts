import type { SegmentFilter } from '@siyu/shared';

/** What the list shows, as the export takes it: the search's criteria or the segment's filter. */
export type ExportSource =
  | {
      search: {
        text?: string;
        tags: string[];
        attributes: { key: string; value: string }[];
      };
    }
  | { filter: SegmentFilter };

/**
 * The server's CSV of the customers the list shows (all pages), as a plain link: the browser
 * downloads it with the session cookie while the server streams it.
 */
export function customersCsvHref(of: ExportSource, lang: 'zh-CN' | 'en'): string {
  return `/exports/customers.csv?q=${encodeURIComponent(JSON.stringify({ lang, of }))}`;
}
