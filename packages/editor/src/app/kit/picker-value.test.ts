import { describe, expect, it } from 'vitest';
import { pickerValue } from './picker-value.ts';

describe('pickerValue', () => {
  it('reads days, days with a time and times of day as the wall clock they name', () => {
    expect(pickerValue('2026-03-01')?.format('YYYY-MM-DD')).toBe('2026-03-01');
    expect(pickerValue('2026-03-01T21:30')?.format('YYYY-MM-DDTHH:mm')).toBe('2026-03-01T21:30');
    expect(pickerValue('21:30')?.format('HH:mm')).toBe('21:30');
  });

  it('gives the picker nothing for empty or malformed text', () => {
    expect(pickerValue(undefined)).toBeNull();
    expect(pickerValue('')).toBeNull();
    expect(pickerValue('not a day')).toBeNull();
    expect(pickerValue('25:99')).toBeNull();
    expect(pickerValue('2026-02-31')).toBeNull();
  });
});
