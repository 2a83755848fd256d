import type { CustomerView } from '@siyu/shared';

/**
 * Fills `{{name}}` placeholders from the customer: `{{displayName}}`, `{{attributes.city}}`,
 * `{{channel.code}}`, … A missing value renders as an empty string (a welcome must still go out).
 */
export function renderTemplate(text: string, customer: CustomerView): string {
  const root: Record<string, unknown> = { ...customer, ...customer.attributes };
  return text.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_match, path: string) => {
    let current: unknown = root;
    for (const key of path.split('.')) {
      if (current === null || typeof current !== 'object') return '';
      current = (current as Record<string, unknown>)[key];
    }
    return current === undefined || current === null ? '' : String(current);
  });
}
