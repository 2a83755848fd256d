import type { CustomerView } from './customer.ts';

/**
 * A `{{path}}` placeholder. Names may be Chinese: operators import attributes under the column
 * headers they have (`{{attributes.等级}}`, `{{城市}}`); an ASCII-only pattern sent those to the
 * customer as typed, braces and all.
 */
export const TEMPLATE_VARIABLE = /\{\{\s*([\p{L}\p{N}_.]+)\s*\}\}/gu;

/**
 * Fills `{{path}}` placeholders from a variable tree: `{{attributes.name}}`, `{{displayName}}`,
 * `{{channel.code}}`, `{{link}}`. Missing values render as '' so one absent attribute cannot block
 * a message. Every node that writes text for a customer (SMS, WeCom, staff tasks) uses this one.
 */
export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  return template.replace(TEMPLATE_VARIABLE, (_match, path: string) => {
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
