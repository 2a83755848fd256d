import type { CustomerView } from './customer.ts';

/**
 * Fills `{{path}}` placeholders from a variable tree: `{{attributes.name}}`, `{{displayName}}`,
 * `{{channel.code}}`, `{{link}}`. Missing values render as '' so one absent attribute cannot block
 * a message. Every node that writes text for a customer (SMS, WeCom, staff tasks) uses this one.
 */
export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_match, path: string) => {
    let current: unknown = vars;
    for (const key of path.split('.')) {
      if (current === null || typeof current !== 'object') return '';
      current = (current as Record<string, unknown>)[key];
    }
    return current === undefined || current === null ? '' : String(current);
  });
}

/** What a template sees of a customer: its fields, its attributes flattened, plus extras. */
export function customerTemplateVariables(
  customer: CustomerView,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...customer.attributes, ...customer, customer, ...extra };
}
