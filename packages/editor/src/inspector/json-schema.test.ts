import { audienceEntry, waitUntil } from '@siyu/nodes-core';
import { DurationSchema, JourneySettingsSchema } from '@siyu/shared';
import { split } from '@siyu/shared/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultFor, isVisible, resolve, toJsonSchema, unwrapOptional, widgetOf, withDefaults } from './json-schema.ts';

describe('config schema → form schema', () => {
  it('keeps .meta() widget hints and unwraps optional fields', () => {
    const schema = toJsonSchema(
      z.object({
        text: z.string().meta({ widget: 'smsText' }),
        wait: DurationSchema.optional().meta({ widget: 'duration' }),
      }),
    );
    expect(widgetOf(schema.properties!.text!)).toBe('smsText');
    const wait = unwrapOptional(resolve(schema.properties!.wait!, schema));
    expect(widgetOf(wait)).toBe('duration');
    expect(Object.keys(wait.properties ?? {})).toEqual(['amount', 'unit']);
  });

  it('makes a new array item that satisfies the item schema (split variants)', () => {
    const schema = toJsonSchema(split.config);
    const item = defaultFor(schema.properties!.variants!.items!, schema) as Record<string, unknown>;
    expect(typeof item.id).toBe('string');
    expect((item.id as string).length).toBeGreaterThan(0);
    const config = { variants: [...split.defaultConfig.variants, { ...item, label: 'C' }] };
    expect(split.config.safeParse(config).success).toBe(true);
  });

  it('describes journey settings, defaults included', () => {
    const schema = toJsonSchema(JourneySettingsSchema);
    expect(Object.keys(schema.properties ?? {})).toEqual(
      expect.arrayContaining(['reEntry', 'quietHours', 'frequencyCaps', 'goal', 'exitConditions', 'holdoutPercent']),
    );
    expect(defaultFor(schema.properties!.holdoutPercent!, schema)).toBe(0);
  });
});

describe('isVisible', () => {
  it('shows the audience entry’s interval only when it repeats at an interval', () => {
    const every = unwrapOptional(toJsonSchema(audienceEntry.config).properties?.every ?? {});
    expect(isVisible(every, { schedule: 'repeat' })).toBe(true);
    expect(isVisible(every, { schedule: 'calendar' })).toBe(false);
    expect(isVisible(every, { schedule: 'once' })).toBe(false);
    expect(isVisible(every, {})).toBe(false); // unset: the default, once
  });

  it("shows a wait-until node's fields for its mode; an unset mode counts as its default, the window", () => {
    const schema = toJsonSchema(waitUntil.config);
    const shown = (value: Record<string, unknown>) =>
      Object.entries(schema.properties ?? {})
        .filter(([, sub]) => isVisible(unwrapOptional(resolve(sub, schema)), withDefaults(schema, value, schema)))
        .map(([key]) => key);
    expect(shown({ mode: 'window' })).toEqual(['mode', 'window']);
    expect(shown({})).toEqual(['mode', 'window']);
    expect(shown({ mode: 'dateAttribute' })).toEqual([
      'mode',
      'attribute',
      'offsetDays',
      'atTime',
      'yearly',
      'timeZone',
    ]);
  });

  it('shows a free-text field until the template it stands in for is chosen', () => {
    const rule = { visibleIf: { empty: 'templateId', present: 'channel' } };
    expect(isVisible(rule, { channel: 'sms' })).toBe(true);
    expect(isVisible(rule, { channel: 'sms', templateId: 't1' })).toBe(false);
    expect(isVisible(rule, { templateId: '' })).toBe(false); // `present` unset
    expect(isVisible({}, {})).toBe(true);
  });
});
