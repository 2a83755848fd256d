// Dates and times the operator picks are wall-clock times in the workspace's time zone (or a
// journey's), not the browser's: an operator travelling in another zone, or a server in UTC, must
// get the same report for "3月1日" as the office in Shanghai. dayjs with its timezone plugin does
// the conversion (it reads the zone rules from Intl, so daylight saving is right); pickers show
// the zone's name beside them.
import { DEFAULT_TIME_ZONE } from '@siyu/shared';
import dayjs, { type Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The workspace's zone: the one reports (runtime/src/reports) and quiet hours default to. */
export const WORKSPACE_TIME_ZONE = DEFAULT_TIME_ZONE;

/** '2026-03-01' → the instant that day starts in `zone` (epoch ms). NaN for a malformed date. */
export function startOfDayIn(date: string, zone: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return Number.NaN;
  return dayjs.tz(date, zone).valueOf();
}

/** '2026-03-01' → the instant the next day starts in `zone`: the end of a period that includes that day. */
export function endOfDayIn(date: string, zone: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return Number.NaN;
  // The next calendar day, counted in UTC (no clock change there), then read in the zone: adding a
  // day to a zoned dayjs adds 24 hours, wrong on the days the clocks change.
  return dayjs.tz(dayjs.utc(date).add(1, 'day').format('YYYY-MM-DD'), zone).valueOf();
}

/** The calendar day an instant falls on in `zone` ('YYYY-MM-DD'). */
export function dateIn(ms: number, zone: string): string {
  return dayjs(ms).tz(zone).format('YYYY-MM-DD');
}

/**
 * A picker's value read as a wall-clock time in `zone`: the date and time it shows, whatever zone
 * the browser is in (antd's pickers hold dayjs values in the browser's zone).
 */
export function pickedInstant(value: Dayjs, zone: string): number {
  return dayjs.tz(value.format('YYYY-MM-DDTHH:mm:ss'), zone).valueOf();
}

/** The other way: a dayjs the picker shows as the wall-clock time of `ms` in `zone`. */
export function pickerValue(ms: number, zone: string): Dayjs {
  return dayjs(dayjs(ms).tz(zone).format('YYYY-MM-DDTHH:mm:ss'));
}
