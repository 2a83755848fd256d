// Provider-approved SMS templates as registered in the workspace, and how a node maps each of a
// template's variables to a value for one customer. Browser-safe: the editor previews with these,
// the executor sends with them, the server validates with them.
import { z } from 'zod';
import { hasUnsubscribeText, UNSUBSCRIBE_RULE } from './text.ts';

export const SMS_TEMPLATE_PROVIDERS = ['aliyun', 'tencent'] as const;
export type SmsTemplateProvider = (typeof SMS_TEMPLATE_PROVIDERS)[number];

/**
 * The variables of a template text in order of first appearance: Aliyun writes `${name}`, Tencent
 * numbers them `{1}`, `{2}` (TemplateParamSet is positional, so a Tencent template's order is the
 * numbers' order).
 */
export function templateVariableNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/\$\{\s*([A-Za-z0-9_]+)\s*\}|\{\s*(\d+)\s*\}/g)) {
    const name = (m[1] ?? m[2]) as string;
    if (!names.includes(name)) names.push(name);
  }
  // Tencent's numbers in number order, whatever order the text uses them in.
  return names.every((n) => /^\d+$/.test(n)) ? names.sort((a, b) => Number(a) - Number(b)) : names;
}

/** The text a customer receives: every variable replaced by its value (missing ones by ''). */
export function fillTemplateText(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\{\s*([A-Za-z0-9_]+)\s*\}|\{\s*(\d+)\s*\}/g,
    (_m, named: string | undefined, numbered: string | undefined) => values[(named ?? numbered) as string] ?? '',
  );
}

/** What a text in the other provider's variable syntax is told ("中文 / English", as node errors). */
const WRONG_SYNTAX: Record<SmsTemplateProvider, string> = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Aliyun's variable syntax, said literally
  aliyun: '阿里云模板变量写作 ${name} / Aliyun variables are written ${name}',
  tencent: '腾讯云模板变量写作 {1} / Tencent variables are written {1}',
};

export const RegisterSmsTemplateSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    provider: z.enum(SMS_TEMPLATE_PROVIDERS),
    signName: z
      .string()
      .trim()
      .min(2, { message: '短信签名至少 2 个字 / signature needs at least 2 characters' })
      .max(12, { message: '短信签名最多 12 个字 / signature is at most 12 characters' })
      .refine((s) => !/[【】]/.test(s), { message: '签名不含【】 / leave out the 【】 brackets' }),
    templateCode: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_]{1,64}$/, { message: '模板编号只含字母数字_ / template code: letters, digits and _' }),
    text: z.string().trim().min(1).max(500),
    kind: z.enum(['notice', 'marketing']),
  })
  .superRefine((t, ctx) => {
    if (t.kind === 'marketing' && !hasUnsubscribeText(t.text)) {
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: `${UNSUBSCRIBE_RULE['zh-CN']} / ${UNSUBSCRIBE_RULE.en}`,
      });
    }
    // Each provider has its own variable syntax; the other's would go out literally.
    const wrong = t.provider === 'aliyun' ? /\{\s*\d+\s*\}/ : /\$\{/;
    if (wrong.test(t.text)) {
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message: WRONG_SYNTAX[t.provider],
      });
    }
  });
export type RegisterSmsTemplateInput = z.input<typeof RegisterSmsTemplateSchema>;

/** Where one template variable's value comes from, for each customer. */
export const SMS_VARIABLE_SOURCES = ['displayName', 'phoneTail', 'attribute', 'coupon', 'link', 'text'] as const;
export type SmsVariableSource = (typeof SMS_VARIABLE_SOURCES)[number];

export const SmsVariableMappingSchema = z.object({
  source: z.enum(SMS_VARIABLE_SOURCES),
  /** attribute: the attribute's key; coupon: the stock an earlier coupon node issues from; text: the text. */
  value: z.string().trim().max(100).default(''),
});
export type SmsVariableMapping = z.output<typeof SmsVariableMappingSchema>;

/** A mapping that cannot give a value (an attribute or stock not named). Fixed text may be empty. */
export function isMappingIncomplete(mapping: SmsVariableMapping | undefined): boolean {
  if (!mapping) return true;
  return (mapping.source === 'attribute' || mapping.source === 'coupon') && mapping.value === '';
}

/** The template's variables that have no usable mapping (the node cannot send until they do). */
export function unmappedVariables(
  text: string,
  variables: Readonly<Record<string, SmsVariableMapping | undefined>>,
): string[] {
  return templateVariableNames(text).filter((name) => isMappingIncomplete(variables[name]));
}

/** What a mapping needs of the customer, resolved by the caller (the executor or a preview). */
export interface SmsVariableInputs {
  displayName?: string | null;
  phone?: string | null;
  attributes: Readonly<Record<string, unknown>>;
  /** The customer's coupon code from a stock, if an earlier node issued one. */
  couponCode(stockId: string): string | undefined;
  /** This message's tracked link (the node's `trackedLink`), if it has one. */
  link?: string;
}

export function variableValue(mapping: SmsVariableMapping, inputs: SmsVariableInputs): string {
  switch (mapping.source) {
    case 'displayName':
      return inputs.displayName ?? '';
    case 'phoneTail':
      return (inputs.phone ?? '').replace(/\D/g, '').slice(-4);
    case 'attribute': {
      const v = inputs.attributes[mapping.value];
      return v === undefined || v === null ? '' : String(v);
    }
    case 'coupon':
      return inputs.couponCode(mapping.value) ?? '';
    case 'link':
      return inputs.link ?? '';
    case 'text':
      return mapping.value;
  }
}
