import { z } from 'zod';

export const DURATION_UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const UNIT_MS: Record<DurationUnit, number> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/**
 * A duration as operators type it ("3 days"), kept as amount + unit so the editor shows it back
 * the way it was entered. Longest allowed is one year: journeys run for weeks, not forever.
 */
export const DurationSchema = z
  .object({
    amount: z.number().int().positive(),
    unit: z.enum(DURATION_UNITS),
  })
  .refine((d) => d.amount * UNIT_MS[d.unit] <= 366 * UNIT_MS.days, {
    message: 'duration must be at most 366 days',
  });
export type Duration = z.infer<typeof DurationSchema>;

export function durationToMs(duration: Duration): number {
  return duration.amount * UNIT_MS[duration.unit];
}
