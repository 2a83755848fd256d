import { describe, expect, it } from 'vitest';
import { EntryScheduleSchema, latestRunTime, nextRunTimes } from './entry-schedule.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('entry schedule → run times', () => {
  it('daily at 10:00 in Asia/Shanghai (no daylight saving) is 02:00 UTC every day', () => {
    const s = EntryScheduleSchema.parse({ repeat: 'daily', time: '10:00', timeZone: 'Asia/Shanghai' });
    expect(iso(nextRunTimes(s, Date.parse('2026-03-07T03:00:00Z'), 3))).toEqual([
      '2026-03-08T02:00:00.000Z',
      '2026-03-09T02:00:00.000Z',
      '2026-03-10T02:00:00.000Z',
    ]);
  });

  it('weekly on Monday at 10:00 in Europe/Berlin keeps 10:00 local across the clock change', () => {
    const s = EntryScheduleSchema.parse({ repeat: 'weekly', weekdays: [1], time: '10:00', timeZone: 'Europe/Berlin' });
    // Berlin moves to summer time on Sunday 29 March 2026: 09:00 UTC before, 08:00 UTC after.
    expect(iso(nextRunTimes(s, Date.parse('2026-03-20T00:00:00Z'), 3))).toEqual([
      '2026-03-23T09:00:00.000Z',
      '2026-03-30T08:00:00.000Z',
      '2026-04-06T08:00:00.000Z',
    ]);
  });

  it('weekly on Sunday (ISO 7) and Wednesday, from a start, until an end date (inclusive)', () => {
    const s = EntryScheduleSchema.parse({
      repeat: 'weekly',
      weekdays: [7, 3],
      time: '20:30',
      startAt: '2026-03-04T21:00',
      endDate: '2026-03-11',
      timeZone: 'Asia/Shanghai',
    });
    expect(iso(nextRunTimes(s, Date.parse('2026-03-01T00:00:00Z'), 5))).toEqual([
      '2026-03-08T12:30:00.000Z',
      '2026-03-11T12:30:00.000Z',
    ]);
  });

  it('a custom cron rule: 09:15 on the 1st of each month, in New York', () => {
    const s = EntryScheduleSchema.parse({ repeat: 'cron', cron: '15 9 1 * *', timeZone: 'America/New_York' });
    expect(iso(nextRunTimes(s, Date.parse('2026-02-15T00:00:00Z'), 2))).toEqual([
      '2026-03-01T14:15:00.000Z',
      '2026-04-01T13:15:00.000Z',
    ]);
  });

  it('once at a date-time: one run, then none', () => {
    const s = EntryScheduleSchema.parse({ repeat: 'once', startAt: '2026-03-08T10:00', timeZone: 'Asia/Shanghai' });
    expect(iso(nextRunTimes(s, Date.parse('2026-03-01T00:00:00Z'), 5))).toEqual(['2026-03-08T02:00:00.000Z']);
    expect(nextRunTimes(s, Date.parse('2026-03-09T00:00:00Z'), 5)).toEqual([]);
  });

  it('after downtime over several run times, only the latest is due (run once, not once per missed time)', () => {
    const s = EntryScheduleSchema.parse({ repeat: 'daily', time: '10:00', timeZone: 'Asia/Shanghai' });
    const lastRun = Date.parse('2026-03-01T02:00:00Z');
    expect(latestRunTime(s, lastRun, Date.parse('2026-03-05T03:00:00Z'))?.toISOString()).toBe(
      '2026-03-05T02:00:00.000Z',
    );
    expect(latestRunTime(s, Date.parse('2026-03-05T02:00:00Z'), Date.parse('2026-03-05T03:00:00Z'))).toBeUndefined();
  });

  it('refuses what cannot run: a bad rule, one more often than hourly, once without a time, weekly without days', () => {
    const messages = (input: unknown) =>
      EntryScheduleSchema.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages({ repeat: 'cron', cron: 'not a rule' })?.[0]).toMatch(/^cron: .*not a valid cron rule/);
    expect(messages({ repeat: 'cron', cron: '*/5 * * * *' })?.[0]).toMatch(/^cron: .*at most hourly/);
    expect(messages({ repeat: 'once' })?.[0]).toMatch(/^startAt:/);
    expect(messages({ repeat: 'weekly', weekdays: [] })?.[0]).toMatch(/^weekdays:/);
    expect(messages({ repeat: 'daily', startAt: '2026-03-10T10:00', endDate: '2026-03-01' })?.[0]).toMatch(/^endDate:/);
  });
});
