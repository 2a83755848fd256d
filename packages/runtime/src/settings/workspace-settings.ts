import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * Settings operators change in the editor. Each has a schema and a default; a stored value that
 * no longer parses (a schema tightened since) reads as the default rather than breaking a page.
 */
/**
 * What one billed SMS part costs, in yuan (China's carriers bill ≤70 characters as one part,
 * longer texts per 67). Typical marketing-SMS prices are ¥0.03–0.06; 0.045 is a common list price.
 */
const SmsPricePerPartSchema = z.number().min(0).max(10);

export const WorkspaceSettingsSchema = z.object({
  smsPricePerPartYuan: SmsPricePerPartSchema.default(0.045),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;
export type WorkspaceSettingKey = keyof WorkspaceSettings;

/** The settings form sends every setting: each is required here (no defaults hide a typo). */
export const WorkspaceSettingsUpdateSchema = z.object({ smsPricePerPartYuan: SmsPricePerPartSchema });

type Db = { prisma: PrismaClient };

export async function readWorkspaceSettings(db: Db): Promise<WorkspaceSettings> {
  const rows = await db.prisma.workspaceSetting.findMany();
  const stored: Record<string, unknown> = {};
  for (const row of rows) {
    try {
      stored[row.key] = JSON.parse(row.value);
    } catch {
      // An unreadable value: its default applies.
    }
  }
  const settings = WorkspaceSettingsSchema.parse({});
  for (const key of Object.keys(settings) as WorkspaceSettingKey[]) {
    const one = WorkspaceSettingsSchema.shape[key].safeParse(stored[key]);
    if (one.success && stored[key] !== undefined) settings[key] = one.data;
  }
  return settings;
}

/** Stores the given settings (validated by the caller's schema) and returns them all. */
export async function updateWorkspaceSettings(
  db: Db,
  update: z.infer<typeof WorkspaceSettingsUpdateSchema>,
  updatedBy: string | null,
): Promise<WorkspaceSettings> {
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const stored = JSON.stringify(value);
    await db.prisma.workspaceSetting.upsert({
      where: { key },
      create: { key, value: stored, updatedBy },
      update: { value: stored, updatedBy },
    });
  }
  return readWorkspaceSettings(db);
}
