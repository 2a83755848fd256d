// How SchemaForm recognises shapes in a JSON Schema that get their own widget or layout.
import { type JsonSchema, unwrapOptional, widgetOf } from '../json-schema.ts';

/** A FilterSchema without its widget hint (settings' goal and exit): `match` + `conditions`. */
export function isFilterSchema(schema: JsonSchema): boolean {
  const p = schema.properties;
  return Boolean(p?.match && p.conditions && Object.keys(p).length === 2);
}

export function isDuration(schema: JsonSchema): boolean {
  const p = schema.properties;
  return widgetOf(schema) === 'duration' || Boolean(p && Object.keys(p).length === 2 && p.amount && p.unit);
}

export function isComplex(schema: JsonSchema): boolean {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type === 'object' || (type === 'array' && !isTagsLike(schema));
}

export function isTagsLike(schema: JsonSchema): boolean {
  return widgetOf(schema) === 'tags' || unwrapOptional(schema.items ?? {}).type === 'string';
}

export function isScalarUnion(options: JsonSchema[]): boolean {
  return options.every((o) => ['string', 'number', 'boolean', 'array'].includes(String(o.type)));
}
