import { describe, expect, it } from 'vitest';
import { readSchedule, upcomingRuns } from './run-times.ts';

describe('upcoming run times on screen', () => {
  it('shows weekly Monday 10:00 runs in the schedule’s zone, in the UI language', () => {
    const schedule = readSchedule({ repeat: 'weekly', weekdays: [1], time: '10:00', timeZone: 'Asia/Shanghai' });
    if (!schedule) throw new Error('valid');
    const after = Date.parse('2026-03-04T00:00:00Z');
    expect(upcomingRuns(schedule, after, 2, 'en')).toEqual(['2026-03-09 Mon 10:00', '2026-03-16 Mon 10:00']);
    expect(upcomingRuns(schedule, after, 1, 'zh-CN')).toEqual(['2026-03-09 周一 10:00']);
  });

  it('reads nothing from a schedule that cannot run', () => {
    expect(readSchedule({ repeat: 'cron', cron: 'every day' })).toBeUndefined();
  });
});
