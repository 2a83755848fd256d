/**
 * The English catalogs as one chunk: catalogs.ts imports this module on demand, so English costs
 * one request, made after the first screen (see app/i18n.ts), and nothing in the initial JavaScript.
 */
const files = import.meta.glob<Record<string, unknown>>('./en/*.json', { eager: true, import: 'default' });

export const catalogs: Record<string, Record<string, unknown>> = Object.fromEntries(
  Object.entries(files).map(([path, catalog]) => [path.replace(/^.*\/([^/]+)\.json$/, '$1'), catalog]),
);
