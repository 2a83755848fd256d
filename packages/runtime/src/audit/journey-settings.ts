import { type JourneySettings, JourneySettingsSchema } from '@siyu/shared';

/**
 * What a draft save changed of the journey's settings (re-entry, quiet hours, caps, goals, exits,
 * holdout) or its name, description and folder, for the audit log. Node edits are not settings: drafts
 * autosave every few seconds and each publish records the graph as a version anyway.
 */
export function journeySettingsChanges(
  before: { draft: string; name: string; description: string; folder: string },
  input: { draft?: { settings?: unknown }; name?: string; description?: string; folder?: string },
): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  if (input.name !== undefined && input.name !== before.name) changed.name = input.name;
  if (input.description !== undefined && input.description !== before.description) changed.description = '…';
  if (input.folder !== undefined && input.folder !== before.folder) changed.folder = input.folder;
  if (input.draft) {
    const old = settingsOf((JSON.parse(before.draft) as { settings?: unknown }).settings);
    const next = settingsOf(input.draft.settings);
    for (const key of Object.keys(next) as (keyof JourneySettings)[]) {
      if (JSON.stringify(old[key]) !== JSON.stringify(next[key])) changed[key] = next[key];
    }
  }
  return changed;
}

/** Defaults filled in, so a draft that spells out a default does not count as a change. */
function settingsOf(settings: unknown): JourneySettings {
  const parsed = JourneySettingsSchema.safeParse(settings ?? {});
  return parsed.success ? parsed.data : JourneySettingsSchema.parse({});
}
