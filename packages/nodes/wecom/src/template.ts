import { type CustomerView, customerTemplateVariables, renderTemplate as render } from '@siyu/shared';

/**
 * Fills `{{name}}` placeholders from the customer: `{{displayName}}`, `{{attributes.city}}`,
 * `{{channel.code}}`, … A missing value renders as an empty string (a welcome must still go out).
 */
export function renderTemplate(text: string, customer: CustomerView): string {
  return render(text, customerTemplateVariables(customer));
}
