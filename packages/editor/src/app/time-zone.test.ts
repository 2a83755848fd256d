import { describe, expect, it } from 'vitest';
import { dateIn, endOfDayIn, pickedInstant, pickerValue, startOfDayIn } from './time-zone.ts';
import { zoneName } from './zone-name.ts';

// The test process may run in any zone (CI in UTC, a laptop in Shanghai): results must not depend on it.
describe('dates in the workspace time zone', () => {
  it("reads a day as midnight in the zone, not the browser's", () => {
    expect(new Date(startOfDayIn('2026-03-01', 'Asia/Shanghai')).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(new Date(startOfDayIn('2026-03-01', 'UTC')).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(new Date(endOfDayIn('2026-03-01', 'Asia/Shanghai')).toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(startOfDayIn('3/1/2026', 'Asia/Shanghai')).toBeNaN();
  });

  it('has days of 23 and 25 hours where the clocks change', () => {
    const hours = (day: string) =>
      (endOfDayIn(day, 'America/New_York') - startOfDayIn(day, 'America/New_York')) / 3.6e6;
    expect(hours('2026-03-08')).toBe(23);
    expect(hours('2026-11-01')).toBe(25);
    expect(hours('2026-06-01')).toBe(24);
  });

  it('names the day an instant falls on in the zone', () => {
    const instant = Date.parse('2026-02-28T17:30:00Z');
    expect(dateIn(instant, 'Asia/Shanghai')).toBe('2026-03-01');
    expect(dateIn(instant, 'UTC')).toBe('2026-02-28');
  });

  it("reads a picked date and time in the zone, and shows an instant as the zone's wall clock", () => {
    const picked = pickerValue(Date.parse('2026-03-01T01:30:00Z'), 'Asia/Shanghai');
    expect(picked.format('YYYY-MM-DD HH:mm')).toBe('2026-03-01 09:30');
    expect(new Date(pickedInstant(picked, 'Asia/Shanghai')).toISOString()).toBe('2026-03-01T01:30:00.000Z');
    expect(new Date(pickedInstant(picked, 'Europe/London')).toISOString()).toBe('2026-03-01T09:30:00.000Z');
  });

  it("names the zone in the UI's language, the id when it is not a zone", () => {
    expect(zoneName('Asia/Shanghai', 'zh-CN')).toBe('中国标准时间');
    expect(zoneName('Asia/Shanghai', 'en')).toBe('China Standard Time');
    expect(zoneName('Mars/Base', 'en')).toBe('Mars/Base');
  });
});
