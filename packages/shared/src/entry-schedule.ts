import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ClockTimeSchema, DEFAULT_TIME_ZONE, TimeZoneSchema } from './time-window.ts';

/**
 * When an audience entry enrols its segment, on the calendar: once at a date-time, daily at a
 * time, weekly on some days at a time, or a custom 5-field cron rule, from `startAt` (optional for
 * repeating rules) until the end of `endDate`, all read in `timeZone` (an IANA zone, so daylight
 * saving is the zone's own). Recurrence is croner's (a maintained cron library with time zones),
 * so a cron rule means here what it means everywhere.
 */
const LocalDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a date-time as YYYY-MM-DDTHH:mm' });
const LocalDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD' });

/** The shortest gap a repeating schedule may have (the interval entry's limit too). */
export const MIN_SCHEDULE_GAP_MS = 3_600_000;

/** The schedule's fields without their cross-checks (a form holding a schedule that is not in use). */
export const EntryScheduleFieldsSchema = z.object({
  repeat: z.enum(['once', 'daily', 'weekly', 'cron']).default('daily'),
  /** Once: when it runs. Repeating: no run before it (absent: from publish). Wall time in `timeZone`. */
  startAt: LocalDateTimeSchema.optional(),
  /** Daily and weekly: the time of day. */
  time: ClockTimeSchema.default('10:00'),
  /** Weekly: ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: z.array(z.number().int().min(1).max(7)).max(7).default([1]),
  /** Custom: minute hour day-of-month month day-of-week. */
  cron: z.string().trim().max(100).default('0 10 * * 1'),
  /** Last day with runs (inclusive); absent: no end. */
  endDate: LocalDateSchema.optional(),
  timeZone: TimeZoneSchema.default(DEFAULT_TIME_ZONE),
});

/** What is wrong with a schedule, by field: a once without its time, weekly without days, a bad rule… */
export function entryScheduleProblems(
  s: z.infer<typeof EntryScheduleFieldsSchema>,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (s.repeat === 'once' && !s.startAt)
    problems.push({ path: 'startAt', message: '请选择运行时间 / choose when it runs' });
  if (s.repeat === 'weekly' && s.weekdays.length === 0) {
    problems.push({ path: 'weekdays', message: '至少选择一天 / choose at least one day' });
  }
  if (s.repeat === 'cron') {
    const problem = cronProblem(s.cron, s.timeZone);
    if (problem) problems.push({ path: 'cron', message: problem });
  }
  if (s.endDate && s.startAt && s.endDate < s.startAt.slice(0, 10)) {
    problems.push({ path: 'endDate', message: '结束日期早于开始时间 / the end date is before the start' });
  }
  return problems;
}

export const EntryScheduleSchema = EntryScheduleFieldsSchema.superRefine((s, ctx) => {
  for (const p of entryScheduleProblems(s)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
});
export type EntrySchedule = z.infer<typeof EntryScheduleSchema>;

/** Why a custom rule is refused, or undefined when it is fine. */
function cronProblem(pattern: string, timeZone: string): string | undefined {
  let job: Cron;
  try {
    job = new Cron(pattern, { timezone: timeZone, mode: '5-part', paused: true });
  } catch {
    return '不是有效的 cron 规则（分 时 日 月 周）/ not a valid cron rule (minute hour day month weekday)';
  }
  const runs = job.nextRuns(50, new Date(Date.UTC(2026, 0, 1)));
  if (runs.length === 0) return '该规则从不运行 / the rule never runs';
  for (let i = 1; i < runs.length; i++) {
    if ((runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime() < MIN_SCHEDULE_GAP_MS) {
      return '最多每小时运行一次 / it may run at most hourly';
    }
  }
  return undefined;
}

/** The schedule's cron rule (croner counts Sunday as 0; the form uses ISO 7). */
function patternOf(s: EntrySchedule): string {
  const [hour, minute] = s.time.split(':').map(Number) as [number, number];
  if (s.repeat === 'daily') return `${minute} ${hour} * * *`;
  if (s.repeat === 'weekly') {
    const days = [...new Set(s.weekdays.map((d) => d % 7))].sort((a, b) => a - b);
    return `${minute} ${hour} * * ${days.join(',')}`;
  }
  return s.cron;
}

/** Instant of the local wall time `local` (YYYY-MM-DDTHH:mm) in `zone`. */
function instantOf(local: string, zone: string): number {
  return DateTime.fromISO(local, { zone }).toMillis();
}

/** The first instant after the schedule's end date (its midnight in the zone), or undefined. */
function stopOf(s: EntrySchedule): number | undefined {
  return s.endDate ? DateTime.fromISO(s.endDate, { zone: s.timeZone }).plus({ days: 1 }).toMillis() : undefined;
}

function jobOf(s: EntrySchedule): Cron | undefined {
  try {
    return new Cron(patternOf(s), {
      timezone: s.timeZone,
      mode: '5-part',
      paused: true,
      startAt: s.startAt ? new Date(instantOf(s.startAt, s.timeZone)) : undefined,
      stopAt: s.endDate ? new Date(stopOf(s) as number) : undefined,
    });
  } catch {
    return undefined; // an invalid rule never runs (validation says why)
  }
}

/** The next `count` run times strictly after `after` (fewer when the schedule ends). */
export function nextRunTimes(schedule: EntrySchedule, after: number, count: number): Date[] {
  if (schedule.repeat === 'once') {
    const at = schedule.startAt ? instantOf(schedule.startAt, schedule.timeZone) : Number.NaN;
    return at > after && count > 0 ? [new Date(at)] : [];
  }
  return jobOf(schedule)?.nextRuns(count, new Date(after)) ?? [];
}

/**
 * The latest run time in (`after`, `now`], or undefined. A scheduler that was down over several
 * run times runs the latest of them once: the missed ones are not made up one by one.
 */
export function latestRunTime(schedule: EntrySchedule, after: number, now: number): Date | undefined {
  let latest: Date | undefined;
  if (schedule.repeat === 'once') {
    const at = schedule.startAt ? instantOf(schedule.startAt, schedule.timeZone) : Number.NaN;
    latest = new Date(at);
  } else {
    // croner's previousRuns looks back from `now`, so a long downtime costs one step, not one per run.
    latest = jobOf(schedule)?.previousRuns(1, new Date(now + 1))[0];
  }
  if (!latest) return undefined;
  const at = latest.getTime();
  return at > after && at <= now ? latest : undefined;
}
