import { z } from 'zod';
import { LocalizedTextSchema } from './i18n.ts';

/**
 * Why the engine paused a journey by itself (Journey.pausedReason): one journey whose version no
 * longer compiles, whose node package is missing, or whose package keeps throwing must not stop
 * the others, so it is paused with everything an operator needs to find the cause. Plain data:
 * the editor words it from its own catalogs.
 */
export const PauseReasonSchema = z.object({
  kind: z.enum(['versionBroken', 'packageMissing', 'executorFailing']),
  /** Epoch ms the engine paused the journey; events from then on are replayed when it resumes. */
  at: z.number(),
  journey: z.object({ id: z.string(), name: z.string() }),
  /** The published version that failed (it may be older than the live one: customers stay pinned). */
  version: z.object({ id: z.string(), number: z.number().int().nullable() }).optional(),
  node: z
    .object({
      id: z.string(),
      type: z.string(),
      /** The operator's label for the node, else the node type's own name. */
      title: z.union([z.string(), LocalizedTextSchema]).optional(),
      /** The node type version the graph was saved at, and the one installed (if any). */
      typeVersion: z.number().int().optional(),
      installedVersion: z.number().int().optional(),
    })
    .optional(),
  package: z.object({ name: z.string(), installed: z.boolean() }).optional(),
  /** The technical message (English), for the log and a developer. */
  detail: z.string(),
});
export type PauseReason = z.infer<typeof PauseReasonSchema>;

/** Reads a stored reason; a row written by an older build that does not parse reads as none. */
export function parsePauseReason(stored: string | null | undefined): PauseReason | undefined {
  if (!stored) return undefined;
  try {
    const parsed = PauseReasonSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
