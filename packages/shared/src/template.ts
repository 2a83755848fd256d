import type { z } from 'zod';
import type { CustomerView } from './customer.ts';

/**
 * A `{{path}}` placeholder: any name without spaces or braces, read by `.` into nested values.
 * Names come from the brand's own import headers (`{{attributes.等级}}`, `{{生日(月/日)}}`); an
 * ASCII-only pattern sent those to the customer as typed, braces and all.
 */
export const TEMPLATE_VARIABLE = /\{\{\s*([^\s{}]+)\s*\}\}/gu;

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

/** The whole of one `{{…}}` as a placeholder (TEMPLATE_VARIABLE, anchored, not global). */
const ONE_VARIABLE = new RegExp(`^${TEMPLATE_VARIABLE.source}$`, 'u');

/** Braces around anything: what a reader takes for a placeholder, whether or not it is one. */
const ANY_BRACES = /\{\{([^{}]*)\}\}/g;

/**
 * Every `{{…}}` in a text, once each, in order: `name` is the variable it names, or undefined when
 * it is not a placeholder (`{{客户 名}}`, `{{}}`) and renderTemplate leaves it as typed.
 */
export function templateTokens(text: string): Array<{ token: string; name: string | undefined }> {
  const tokens = new Map<string, string | undefined>();
  for (const [token] of text.matchAll(ANY_BRACES)) {
    if (!tokens.has(token)) tokens.set(token, ONE_VARIABLE.exec(token)?.[1]);
  }
  return [...tokens].map(([token, name]) => ({ token, name }));
}

/** The `{{…}}` in a text that the customer would read as typed, braces and all. */
export function bracesSentAsTyped(text: string): string[] {
  return templateTokens(text)
    .filter((t) => t.name === undefined)
    .map((t) => t.token);
}

/**
 * Refuses braces that are not a placeholder in a message text field (a node's config): the problem
 * names them, and the journey does not publish a text that would show them to its reader.
 */
export function checkTemplateBraces(text: string, ctx: z.RefinementCtx): void {
  const typed = bracesSentAsTyped(text);
  if (typed.length === 0) return;
  const list = typed.join(' ');
  ctx.addIssue({
    code: 'custom',
    // "中文 / English", the English half starting with a word (zod-issue-text's splitBilingual).
    // Sent as typed to whoever reads the text: a customer, or a staff member for a task.
    message: `${list} 不是变量，会按原样发出（变量名不能为空，也不能有空格） / Not a variable, it would be sent as typed: ${list} (a name is not empty and has no spaces)`,
  });
}
