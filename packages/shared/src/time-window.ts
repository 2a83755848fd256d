import { DateTime } from 'luxon';
import { z } from 'zod';

/** "HH:mm" on a 24-hour clock. */
export const ClockTimeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time of day as HH:mm, e.g. 21:00' });

/** An IANA time zone that this runtime's Intl knows (e.g. Asia/Shanghai). */
export const TimeZoneSchema = z
  .string()
  .refine((zone) => DateTime.now().setZone(zone).isValid, {
    message: 'unknown time zone (expected an IANA name such as Asia/Shanghai)',
  })
  // The editor offers the zones by name (中国标准时间（Asia/Shanghai）), not as text to type.
  .meta({ widget: 'timeZone' });

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * A daily window [start, end) in a time zone. When end <= start the window wraps past midnight
 * (21:00–08:00 is the usual quiet window). Weekdays use ISO numbering: 1 = Monday … 7 = Sunday;
 * an empty list means every day. For a wrapping window the weekday is that of the window's start.
 */
export const DailyWindowSchema = z.object({
  timeZone: TimeZoneSchema.default(DEFAULT_TIME_ZONE),
  start: ClockTimeSchema,
  end: ClockTimeSchema,
  weekdays: z.array(z.number().int().min(1).max(7)).default([]),
});
export type DailyWindow = z.infer<typeof DailyWindowSchema>;

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function atClock(day: DateTime, minuteOfDay: number): DateTime {
  return day.set({ hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60, second: 0, millisecond: 0 });
}

/** True if `at` falls inside the window. */
export function isInWindow(window: DailyWindow, at: Date): boolean {
  const local = DateTime.fromJSDate(at, { zone: window.timeZone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const dayOk = (weekday: number) => window.weekdays.length === 0 || window.weekdays.includes(weekday);
  if (start === end) return dayOk(local.weekday); // a full-day window
  if (start < end) return minute >= start && minute < end && dayOk(local.weekday);
  // Wrapping window: the part after midnight belongs to the previous day's window.
  if (minute >= start) return dayOk(local.weekday);
  if (minute < end) return dayOk(local.minus({ days: 1 }).weekday);
  return false;
}

/**
 * The earliest instant >= `from` that lies inside the window. Scans window openings day by day,
 * so daylight-saving zones are handled by luxon rather than by arithmetic on offsets.
 */
export function nextInWindow(window: DailyWindow, from: Date): Date {
  if (isInWindow(window, from)) return from;
  const start = minutesOf(window.start);
  let day = DateTime.fromJSDate(from, { zone: window.timeZone }).startOf('day').minus({ days: 1 });
  for (let i = 0; i < 9; i++) {
    // Set the wall-clock time rather than adding minutes: on a daylight-saving day midnight + 9h
    // is not 09:00.
    const opening = atClock(day, start);
    if (opening.toMillis() >= from.getTime() && isInWindow(window, opening.toJSDate())) {
      return opening.toJSDate();
    }
    day = day.plus({ days: 1 });
  }
  throw new Error(`time window ${window.start}-${window.end} on weekdays [${window.weekdays}] never opens`);
}

/** The earliest instant >= `from` outside the window (quiet hours: when sending may resume). */
export function nextOutsideWindow(window: DailyWindow, from: Date): Date {
  if (!isInWindow(window, from)) return from;
  const end = minutesOf(window.end);
  let day = DateTime.fromJSDate(from, { zone: window.timeZone }).startOf('day');
  for (let i = 0; i < 9; i++) {
    const closing = atClock(day, end);
    if (closing.toMillis() > from.getTime() && !isInWindow(window, closing.toJSDate())) {
      return closing.toJSDate();
    }
    day = day.plus({ days: 1 });
  }
  throw new Error(`time window ${window.start}-${window.end} never closes`);
}
