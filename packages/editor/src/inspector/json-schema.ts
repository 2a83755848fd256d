import type { z } from 'zod';
import { z as zod } from 'zod';

/** The subset of JSON Schema that z.toJSONSchema produces and the form understands. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxLength?: number;
  title?: string;
  description?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  /** `.meta({ widget })` hints written by node packages: tags, duration, filter, smsText, … */
  widget?: string;
  label?: string | { 'zh-CN': string; en: string };
  [key: string]: unknown;
}

const cache = new WeakMap<z.ZodType, JsonSchema>();

export function toJsonSchema(schema: z.ZodType): JsonSchema {
  let out = cache.get(schema);
  if (!out) {
    out = zod.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    cache.set(schema, out);
  }
  return out;
}

/** Follows a local `$ref` (`#/$defs/x`) against the root schema. */
export function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (schema.$ref?.startsWith('#/$defs/')) {
    const target = root.$defs?.[schema.$ref.slice('#/$defs/'.length)];
    if (target) return { ...target, ...schema, $ref: undefined };
  }
  return schema;
}

/** The non-null branch of an optional/nullable union, when there is exactly one. */
export function unwrapOptional(schema: JsonSchema): JsonSchema {
  const options = schema.anyOf ?? schema.oneOf;
  if (!options) return schema;
  const real = options.filter((o) => o.type !== 'null');
  return real.length === 1 && real[0] ? { ...real[0], ...pickHints(schema) } : schema;
}

function pickHints(schema: JsonSchema): Partial<JsonSchema> {
  const out: Partial<JsonSchema> = {};
  if (schema.widget) out.widget = schema.widget;
  if (schema.label) out.label = schema.label;
  if (schema.title) out.title = schema.title;
  return out;
}

export function widgetOf(schema: JsonSchema): string | undefined {
  const w = schema.widget ?? schema['x-widget'] ?? schema.ui;
  return typeof w === 'string' ? w : undefined;
}

/**
 * Whether a field marked `.meta({ visibleIf })` shows, given its sibling fields' values:
 * - `{ empty, present? }`: while the sibling `empty` is unset (and `present`, if named, is set) —
 *   the SMS node's free-text fields, until a template is chosen;
 * - `{ field, oneOf }`: while the sibling `field` holds one of `oneOf` — the audience entry's
 *   interval, only when it repeats at an interval (an unset field counts as its default, which
 *   `oneOf` lists when the field should show by default).
 */
export function isVisible(schema: JsonSchema, siblings: Record<string, unknown>): boolean {
  const rule = schema.visibleIf as
    | { empty?: string; present?: string; field?: string; oneOf?: readonly unknown[] }
    | undefined;
  if (!rule || typeof rule !== 'object') return true;
  const set = (key: string | undefined) => key !== undefined && siblings[key] !== undefined && siblings[key] !== '';
  if (rule.field !== undefined && !(rule.oneOf ?? []).includes(siblings[rule.field])) return false;
  return !set(rule.empty) && (rule.present === undefined || set(rule.present));
}

/**
 * An object's values as visibility rules read them: a field left unset counts as its default (a
 * wait-until node saved before it had a mode shows the time window, the default mode's fields).
 */
export function withDefaults(
  schema: JsonSchema,
  value: Record<string, unknown>,
  root: JsonSchema,
): Record<string, unknown> {
  const seen = { ...value };
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const fallback = unwrapOptional(resolve(sub, root)).default;
    if (seen[key] === undefined && fallback !== undefined) seen[key] = fallback;
  }
  return seen;
}

/** A sensible starting value for a new array item or newly shown field. */
export function defaultFor(schema: JsonSchema, root: JsonSchema): unknown {
  const s = unwrapOptional(resolve(schema, root));
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return s.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) {
        const prop = s.properties?.[key];
        if (prop) out[key] = defaultFor(prop, root);
      }
      if (s.properties && 'id' in s.properties && typeof out.id === 'string' && out.id === '') {
        out.id = Math.random().toString(36).slice(2, 7);
      }
      return out;
    }
    default:
      return undefined;
  }
}
