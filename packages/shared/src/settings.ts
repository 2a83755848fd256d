import { z } from 'zod';
import { FilterSchema } from './condition.ts';
import { DurationSchema } from './duration.ts';
import { ClockTimeSchema, DEFAULT_TIME_ZONE, TimeZoneSchema } from './time-window.ts';

/**
 * Whether a customer may enter the same journey again.
 * - once: never again, even after finishing.
 * - afterExit: again once their previous run has ended, and at least `minGap` after it started.
 * - always: any time, even while a previous run is still going (each run is its own instance).
 */
export const ReEntrySchema = z.object({
  policy: z.enum(['once', 'afterExit', 'always']).default('once'),
  minGap: DurationSchema.optional(),
});

/**
 * Hours in which no message goes out (vendors block roughly 21:00–08:00). `defer` holds the message
 * until the window ends; `skip` drops it and the customer continues on the node's main port.
 */
export const QuietHoursSchema = z.object({
  enabled: z.boolean().default(true),
  timeZone: TimeZoneSchema.default(DEFAULT_TIME_ZONE),
  start: ClockTimeSchema.default('21:00'),
  end: ClockTimeSchema.default('08:00'),
  action: z.enum(['defer', 'skip']).default('defer'),
});

/**
 * At most `max` messages on `channel` to one customer per `per`, counted across every journey, so
 * two journeys cannot together flood one person.
 */
export const FrequencyCapSchema = z.object({
  // One of the channels node effects declare (EffectSpec.channel: "sms", "wecom"); the editor
  // offers them by name (widget), a package's own channel included.
  channel: z.string().min(1).max(40).meta({ widget: 'messageChannel' }),
  max: z.number().int().positive(),
  per: DurationSchema,
});

/** A conversion goal: the customer did `event` (matching `filter`) within `window` of entering. */
export const ConversionGoalSchema = z.object({
  event: z.string().min(1).max(100),
  filter: FilterSchema.optional(),
  window: DurationSchema,
});

/** Leave the journey at once, from whatever step, when this event happens. */
export const ExitConditionSchema = z.object({
  event: z.string().min(1).max(100),
  filter: FilterSchema.optional(),
});

export const JourneySettingsSchema = z.object({
  reEntry: ReEntrySchema.default({ policy: 'once' }),
  quietHours: QuietHoursSchema.default({
    enabled: true,
    timeZone: DEFAULT_TIME_ZONE,
    start: '21:00',
    end: '08:00',
    action: 'defer',
  }),
  frequencyCaps: z.array(FrequencyCapSchema).max(20).default([]),
  goal: ConversionGoalSchema.optional(),
  exitConditions: z.array(ExitConditionSchema).max(20).default([]),
  /** Percentage of entering customers held out as a control group (they enter, receive nothing). */
  holdoutPercent: z.number().min(0).max(50).default(0),
});
export type JourneySettings = z.infer<typeof JourneySettingsSchema>;
export type JourneySettingsInput = z.input<typeof JourneySettingsSchema>;
