import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../json-schema.ts';
import { isComplex, isDuration, isFilterSchema, isScalarUnion, isTagsLike } from './schema-shapes.ts';

describe('the shapes SchemaForm gives their own widget', () => {
  it('knows a filter and a duration by their properties, without a widget hint', () => {
    const filter: JsonSchema = { type: 'object', properties: { match: {}, conditions: {} } };
    const duration: JsonSchema = { type: 'object', properties: { amount: {}, unit: {} } };
    expect(isFilterSchema(filter)).toBe(true);
    expect(isDuration(duration)).toBe(true);
    expect(isDuration(filter)).toBe(false);
  });

  it('folds objects and lists of objects behind "Set", but not lists of strings', () => {
    expect(isComplex({ type: 'object' })).toBe(true);
    expect(isComplex({ type: 'array', items: { type: 'object' } })).toBe(true);
    expect(isComplex({ type: 'array', items: { type: 'string' } })).toBe(false);
    expect(isTagsLike({ type: 'array', items: { type: 'string' } })).toBe(true);
    expect(isComplex({ type: 'string' })).toBe(false);
  });

  it('edits a union of scalars in one text input', () => {
    expect(isScalarUnion([{ type: 'string' }, { type: 'number' }])).toBe(true);
    expect(isScalarUnion([{ type: 'string' }, { type: 'object' }])).toBe(false);
  });
});
