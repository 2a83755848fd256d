import type { Locale } from '@siyu/shared';
import { eventTypeText } from '../app/event-type-text.ts';
import { listText } from '../app/list-format.ts';
import { ENUM_WIDGET } from '../app/problem-labels.ts';
import { tFor } from '../locales/catalogs.ts';

/** What the card knows of a config field from the node's schema: its name and its widget hint. */
export interface SummaryField {
  label?: string;
  widget?: string;
}

/**
 * A one-line description of a node's config for its card, generic over any config shape.
 * `field` names a field as the inspector's form does (the node schema's own label or title, which
 * a third-party package supplies) and tells its widget; without it, the editor's list of common keys.
 * Values are words, never keys: an event type by its name, a switched-on flag by its label alone
 * (a switched-off one is left out), lists in the language's list format.
 */
export function summarize(
  config: Record<string, unknown>,
  locale: Locale,
  field?: (key: string) => SummaryField | undefined,
): string {
  const t = tFor(locale);
  // Each field with something to say: its label, and its value in words (none for a flag that is on).
  const said: { label: string; text: string | undefined }[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (value === false) continue;
    const info = field?.(key);
    // Fields by the inspector's words (模板编号), not their config keys (templateCode).
    const label = info?.label ?? t(`inspector:keys.${key}`, { defaultValue: key });
    if (value === true) said.push({ label, text: undefined });
    else {
      const text = describe(value, locale, info?.widget ?? (key === 'event' ? 'eventType' : undefined));
      if (text) said.push({ label, text });
    }
  }
  const parts = said
    .slice(0, 2)
    .map(({ label, text }) =>
      text === undefined ? label : said.length > 1 ? t('canvas:summary.field', { label, text }) : text,
    );
  return parts.join(' · ');
}

/** core.updateAttributes' change in words (layer = core, points +10, 清除 coupon), else undefined. */
function attributeChangeText(change: Record<string, unknown>, locale: Locale): string | undefined {
  const { op, name } = change;
  if (typeof name !== 'string' || !name) return undefined;
  const t = tFor(locale);
  if (op === 'set') return t('canvas:summary.attributeSet', { name, value: String(change.value ?? '') });
  if (op === 'unset') return t('canvas:summary.attributeUnset', { name });
  if (op === 'increment' && typeof change.by === 'number')
    return t('canvas:summary.attributeIncrement', { name, by: change.by < 0 ? `${change.by}` : `+${change.by}` });
  return undefined;
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function describe(value: unknown, locale: Locale, widget: string | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'string') {
    if (widget === 'eventType') return clip(eventTypeText(value, locale), 36);
    // An enum's value by the inspector's word for it (按日程), not the value itself (calendar).
    if (widget === ENUM_WIDGET) return tFor(locale)(`inspector:enums.${value}`, { defaultValue: value });
    return clip(value, 36);
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    const labels = value.map((v) =>
      typeof v === 'object' && v !== null
        ? (attributeChangeText(v as Record<string, unknown>, locale) ??
          String((v as { label?: unknown; id?: unknown }).label ?? (v as { id?: unknown }).id ?? ''))
        : String(v),
    );
    return clip(listText(labels, locale), 40);
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
