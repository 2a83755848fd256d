import { useLocale } from '../../app/i18n.ts';
import { allZones, zoneName } from '../../app/zone-name.ts';
import type { FieldProps } from './field-props.ts';

/**
 * A time zone chosen by its name and id (中国标准时间（Asia/Shanghai）), not typed: the clock times
 * beside it (quiet hours, a wait's window) are read in this zone. A stored zone Intl does not list
 * stays offered, so opening the form never changes it.
 */
export function TimeZoneField(props: FieldProps) {
  const { t, locale } = useLocale();
  // Unset, the zone the server applies: the schema's default (Asia/Shanghai), not the list's first.
  const fallback = typeof props.schema.default === 'string' ? props.schema.default : '';
  const current = typeof props.value === 'string' ? props.value : fallback;
  const zones = allZones(locale);
  return (
    <select value={current} onChange={(e) => props.onChange(e.target.value)} data-picker="timeZone">
      {!current && <option value="">—</option>}
      {current && !zones.some((z) => z.zone === current) && (
        <option value={current}>
          {t('inspector:timeZoneField.option', { name: zoneName(current, locale), zone: current })}
        </option>
      )}
      {zones.map(({ zone, name }) => (
        <option key={zone} value={zone}>
          {t('inspector:timeZoneField.option', { name, zone })}
        </option>
      ))}
    </select>
  );
}
