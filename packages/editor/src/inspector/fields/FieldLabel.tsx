import { useLocale } from '../../app/i18n.ts';
import type { JsonSchema } from '../json-schema.ts';

/** A field's name for people: the schema's label (per language) or title, else a known key's label, else the key. */
export function FieldLabel({ schema, name, label: given }: { schema: JsonSchema; name: string; label?: string }) {
  const { locale, t } = useLocale();
  if (given) return <span className="field-label">{given}</span>;
  const label = typeof schema.label === 'object' ? schema.label[locale] : (schema.label ?? schema.title);
  return <span className="field-label">{label ?? t(`inspector:keys.${name}`, { defaultValue: name })}</span>;
}
