import type { Locale } from '@siyu/shared';
import { KEY_LABELS } from '../inspector/labels.ts';
import { tFor } from '../locales/catalogs.ts';

/**
 * A one-line description of a node's config for its card, generic over any config shape.
 * `fieldLabel` names a field as the inspector's form does (the node schema's own label or title,
 * which a third-party package supplies); without it, the editor's list of common keys.
 */
export function summarize(
  config: Record<string, unknown>,
  locale: Locale,
  fieldLabel?: (key: string) => string | undefined,
): string {
  const t = tFor(locale);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const text = describe(value, locale);
    // Fields by the inspector's words (模板编号), not their config keys (templateCode).
    const label = fieldLabel?.(key) ?? KEY_LABELS[key]?.[locale === 'en' ? 1 : 0] ?? key;
    if (text) parts.push(Object.keys(config).length > 1 ? t('canvas:summary.field', { label, text }) : text);
    if (parts.length >= 2) break;
  }
  return parts.join(' · ');
}

function describe(value: unknown, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') return value.length > 36 ? `${value.slice(0, 35)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    const labels = value.map((v) =>
      typeof v === 'object' && v !== null
        ? String((v as { label?: unknown; id?: unknown }).label ?? (v as { id?: unknown }).id ?? '')
        : String(v),
    );
    return labels.join(', ').slice(0, 40);
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.amount === 'number' && typeof o.unit === 'string') {
      const unit = tFor(locale)(`canvas:summary.units.${o.unit}`, { defaultValue: o.unit });
      return `${o.amount} ${unit}`;
    }
    if (Array.isArray(o.all) || Array.isArray(o.any)) {
      const n = ((o.all as unknown[]) ?? (o.any as unknown[])).length;
      return tFor(locale)('canvas:summary.conditions', { count: n });
    }
    return '';
  }
  return '';
}
