import { type GraphProblem, type Locale, localize } from '@siyu/shared';
import type { z } from 'zod';
import { type JsonSchema, resolve, toJsonSchema, unwrapOptional, widgetOf } from '../inspector/json-schema.ts';
import { tFor } from '../locales/catalogs.ts';

/** `prizes[0].weight` → ['prizes', 0, 'weight'] (the inverse of @siyu/shared's formatPath). */
export function parseConfigPath(path: string): Array<string | number> {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : (m[2] as string)));
}

/** A field's name as the inspector form shows it: the schema's .meta({ label }) or title, a known key, the key. */
function fieldName(schema: JsonSchema | undefined, key: string, locale: Locale): string {
  const label = typeof schema?.label === 'object' ? schema.label[locale] : (schema?.label ?? schema?.title);
  return label || tFor(locale)(`inspector:keys.${key}`, { defaultValue: key });
}

function propertyOf(schema: JsonSchema, key: string, root: JsonSchema): JsonSchema | undefined {
  const direct = schema.properties?.[key];
  if (direct) return direct;
  // A union of object shapes (discriminated configs): the first branch that has the key.
  for (const option of schema.anyOf ?? schema.oneOf ?? []) {
    const found = propertyOf(resolve(option, root), key, root);
    if (found) return found;
  }
  return undefined;
}

/**
 * The config path in the words of the form: `prizes[0].weight` → "奖品 #1 › 权重" (or "Prizes #1 ›
 * Weight"); a key with no label stays the key. Undefined for the config root.
 */
export function configPathLabel(config: z.ZodType, path: string, locale: Locale): string | undefined {
  const segments = parseConfigPath(path);
  if (segments.length === 0 || path === '(root)') return undefined;
  const root = toJsonSchema(config);
  let current: JsonSchema | undefined = root;
  const words: string[] = [];
  for (const segment of segments) {
    const here: JsonSchema | undefined = current && unwrapOptional(resolve(current, root));
    if (typeof segment === 'number') {
      if (words.length > 0) words[words.length - 1] += ` #${segment + 1}`;
      else words.push(`#${segment + 1}`);
      current = here?.items;
      continue;
    }
    const property = here && propertyOf(here, segment, root);
    const shown = property && unwrapOptional(resolve(property, root));
    words.push(fieldName(shown, segment, locale));
    current = property;
  }
  return words.join(' › ');
}

/** The widget hint of a top-level config field (`eventType`, `tags`, …), as the inspector's form reads it. */
export function configFieldWidget(config: z.ZodType, key: string): string | undefined {
  const root = toJsonSchema(config);
  const property = propertyOf(unwrapOptional(resolve(root, root)), key, root);
  const schema = property && unwrapOptional(resolve(property, root));
  if (!schema) return undefined;
  // A choice among fixed values reads as the inspector's words for them (inspector:enums.*), also
  // when the node asks for it as a select (the audience entry's 频率: 按日程, not "calendar").
  const widget = widgetOf(schema);
  const isEnum = Array.isArray((schema as { enum?: unknown }).enum);
  return isEnum && (widget === undefined || widget === 'select') ? ENUM_WIDGET : widget;
}

/** The widget the card summary gives a field whose schema is an enum of strings. */
export const ENUM_WIDGET = 'enum';

/**
 * A problem's text in the UI language; an invalid-config problem names the field by its label
 * instead of its config key (the message quotes the path as Chinese or English quotes, app:problemLabels.quoted).
 */
export function problemText(problem: GraphProblem, config: z.ZodType | undefined, locale: Locale): string {
  const text = localize(problem.message, locale);
  if (problem.code !== 'invalidConfig' || !problem.path || !config) return text;
  const label = configPathLabel(config, problem.path, locale);
  if (!label || label === problem.path) return text;
  // The path as the message quotes it in this language (「path」, "path"), swapped for the label.
  const t = tFor(locale);
  return text.replace(
    t('app:problemLabels.quoted', { path: problem.path }),
    t('app:problemLabels.quoted', { path: label }),
  );
}
