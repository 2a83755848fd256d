// The names the card's summary gives a node's config fields, read once per node schema.
import type { AnyNodeDefinition, Locale } from '@siyu/shared';
import { configFieldWidget, configPathLabel } from '../app/problem-labels.ts';
import type { SummaryField } from './summary.ts';

/** Each config field's name and widget, by node schema, then by locale and key. */
const fieldsBySchema = new WeakMap<AnyNodeDefinition['config'], Map<string, SummaryField>>();

/**
 * A config field as the card's summary names it. Finding the name walks the node's JSON schema and
 * the catalogs, about a third of a card's render: a 300-node journey did it again for every card it
 * opened with, so each schema's fields are read once.
 */
export function summaryField(definition: AnyNodeDefinition, key: string, locale: Locale): SummaryField {
  let fields = fieldsBySchema.get(definition.config);
  if (!fields) {
    fields = new Map();
    fieldsBySchema.set(definition.config, fields);
  }
  const id = `${locale}:${key}`;
  let field = fields.get(id);
  if (!field) {
    field = {
      label: configPathLabel(definition.config, key, locale),
      widget: configFieldWidget(definition.config, key),
    };
    fields.set(id, field);
  }
  return field;
}
