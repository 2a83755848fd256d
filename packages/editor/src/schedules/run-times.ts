import { type EntrySchedule, EntryScheduleSchema, nextRunTimes } from '@siyu/shared';

/** The schedule as entered, read by its schema (defaults filled), or undefined while it is invalid. */
export function readSchedule(value: unknown): EntrySchedule | undefined {
  const parsed = EntryScheduleSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** One instant as the zone's wall clock shows it: "2026-03-09 Mon 10:00" (weekday in the UI language). */
export function wallClock(at: Date, timeZone: string, locale: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short' }).format(at);
  return `${parts.year}-${parts.month}-${parts.day} ${weekday} ${parts.hour}:${parts.minute}`;
}

/** The next `count` run times after `now`, on the schedule zone's wall clock. */
export function upcomingRuns(schedule: EntrySchedule, now: number, count: number, locale: string): string[] {
  return nextRunTimes(schedule, now, count).map((at) => wallClock(at, schedule.timeZone, locale));
}
