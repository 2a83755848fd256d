import type { Locale } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';
import { zoneName } from './zone-name.ts';

/** Beside a date picker: the zone its dates and times are read in ("时区：中国标准时间（Asia/Shanghai）"). */
export function TimeZoneNote({ zone, locale }: { zone: string; locale: Locale }) {
  return (
    <span className="muted" data-testid="time-zone" data-zone={zone}>
      {tFor(locale)('app:timeZone.note', { name: zoneName(zone, locale), zone })}
    </span>
  );
}
