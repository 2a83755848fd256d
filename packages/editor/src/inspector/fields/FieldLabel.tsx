import { useLocale } from '../../app/i18n.ts';
import type { JsonSchema } from '../json-schema.ts';
import { KEY_LABELS } from '../labels.ts';

/** A field's name for people: the schema's label (per language) or title, else a known key's label, else the key. */
export function FieldLabel({ schema, name }: { schema: JsonSchema; name: string }) {
  const { locale } = useLocale();
  const i = locale === 'en' ? 1 : 0;
  const label = typeof schema.label === 'object' ? schema.label[locale] : (schema.label ?? schema.title);
  return <span className="field-label">{label ?? KEY_LABELS[name]?.[i] ?? name}</span>;
}
