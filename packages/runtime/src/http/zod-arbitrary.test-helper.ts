// fast-check arbitraries from zod (v4) schemas, for fuzzing the API: values shaped like the
// schema (so most inputs get past the first check and reach the procedure's logic), with the
// leaves drawn from pools that include hostile values, plus mutations of those shapes.
import fc from 'fast-check';
import type { z } from 'zod';

type Def = { type: string } & Record<string, unknown>;
const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def: Def } })._zod?.def;

/** Strings that break naive code: empty, huge, control characters, markup, paths, SQL, numbers as text. */
const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a'.repeat(5000),
  '测'.repeat(300),
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  "'; DROP TABLE Customer; --",
  '%00%E0%A4%A',
  '{"a":1}',
  'null',
  '-1',
  '1e309',
  '2026-02-30T25:61:00Z',
  '+8613800138000',
  '__proto__',
  'constructor',
  '\uD800',
  'sk_made_up',
  'sess_made_up',
);

const hostileNumbers = fc.constantFrom(0, -1, -0, 1, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, 0.5, 1e-9);

/**
 * JSON text spliced in as is where the value stands when serialised with `toJson`: nesting so deep
 * (tens of thousands of levels) that building it as an object and calling JSON.stringify would
 * overflow this process's own stack, while JSON.parse on the server reads it fine.
 */
export class RawJson {
  static readonly all: RawJson[] = [];
  readonly token: string;
  constructor(readonly text: string) {
    this.token = `__raw_json_${RawJson.all.length}__`;
    RawJson.all.push(this);
  }
  toJSON(): string {
    return this.token;
  }
}

/** JSON.stringify, with every RawJson's text in place of its token. */
export function toJson(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  if (text === undefined || !text.includes('__raw_json_')) return text;
  return text.replace(/"__raw_json_(\d+)__"/g, (_, i) => (RawJson.all[Number(i)] as RawJson).text);
}

const deepText = (depth: number) => new RawJson(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`);

/** Any JSON value, including a nesting deeper than any limit and a long array. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 30, max: 200 }).map(nested) },
  { weight: 1, arbitrary: fc.constantFrom(deepText(20_000), deepText(100_000)) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 2000 }, (_, i) => i)) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{}}}')) },
);

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

export interface ArbitraryOptions {
  /** Ids that exist in the database, so lookups sometimes hit a row. */
  ids: readonly string[];
}

/** An arbitrary shaped like `schema`; leaves mix valid-looking and hostile values. */
export function arbitraryFor(schema: z.ZodType | unknown, options: ArbitraryOptions, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (!def || depth > 6) return hostileJson;
  const recurse = (s: unknown) => arbitraryFor(s, options, depth + 1);
  switch (def.type) {
    case 'string':
      return fc.oneof(
        { weight: 3, arbitrary: fc.string({ maxLength: 24 }) },
        { weight: 2, arbitrary: options.ids.length > 0 ? fc.constantFrom(...options.ids) : fc.string() },
        { weight: 2, arbitrary: hostileStrings },
      );
    case 'number':
    case 'int':
    case 'bigint':
      return fc.oneof(fc.integer({ min: -10, max: 1000 }), hostileNumbers, fc.double({ noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        hostileStrings,
        hostileNumbers,
      );
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return fc.option(recurse(def.innerType), { nil: undefined, freq: 4 });
    case 'array':
      return fc.array(recurse(def.element), { maxLength: 4 });
    case 'tuple':
      return fc.tuple(...(def.items as unknown[]).map(recurse));
    case 'record':
      return fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), hostileStrings), recurse(def.valueType), {
        maxKeys: 4,
      });
    case 'union':
      return fc.oneof(...(def.options as unknown[]).map(recurse));
    case 'intersection':
      return fc
        .tuple(recurse(def.left), recurse(def.right))
        .map(([a, b]) => (isObject(a) && isObject(b) ? { ...a, ...b } : a));
    case 'pipe':
      return recurse(def.in);
    case 'lazy':
      return recurse((def.getter as () => unknown)());
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const fields: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(shape)) fields[key] = recurse(value);
      return fc.record(fields, { requiredKeys: Object.keys(shape).filter((k) => !isOptional(shape[k])) });
    }
    default:
      return hostileJson;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const isOptional = (s: unknown) => ['optional', 'default', 'prefault'].includes(defOf(s)?.type ?? '');

/** A shaped value with one field replaced by a hostile value, dropped, or joined by an extra key. */
export function mutated(shaped: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(shaped, fc.nat(), hostileJson, fc.constantFrom('replace', 'drop', 'extra'))
    .map(([value, pick, replacement, how]) => {
      if (!isObject(value)) return replacement;
      const keys = Object.keys(value);
      const copy: Record<string, unknown> = { ...value };
      const key = keys.length > 0 ? (keys[pick % keys.length] as string) : 'extra';
      if (how === 'replace') copy[key] = replacement;
      else if (how === 'drop') delete copy[key];
      else copy[`x${pick % 10}`] = replacement;
      return copy;
    });
}

/** Inputs for a procedure: shaped (most), mutated, and arbitrary JSON (or nothing at all). */
export function inputsFor(inputs: readonly unknown[], options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const schema = inputs[0];
  if (!schema) return fc.oneof(fc.constant(undefined), hostileJson);
  const shaped = arbitraryFor(schema, options);
  return fc.oneof(
    { weight: 5, arbitrary: shaped },
    { weight: 3, arbitrary: mutated(shaped) },
    { weight: 1, arbitrary: hostileJson },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}
