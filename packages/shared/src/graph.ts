import { z } from 'zod';
import { JourneySettingsSchema } from './settings.ts';

/** Node ids appear in URLs, timer keys and idempotency keys: keep them short and plain. */
export const NodeIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'node id must be 1–64 letters, digits, "_" or "-"' });

export const NodeTypeSchema = z.string().regex(/^[a-z][a-z0-9-]*\.[a-zA-Z][a-zA-Z0-9-]*$/, {
  message: 'node type must look like "<package>.<name>", e.g. "sms.send"',
});

export const JourneyNodeSchema = z.object({
  id: NodeIdSchema,
  type: NodeTypeSchema,
  typeVersion: z.number().int().positive(),
  config: z.record(z.string(), z.unknown()),
  position: z.object({ x: z.number().finite(), y: z.number().finite() }),
  label: z.string().max(100).optional(),
});
export type JourneyNode = z.infer<typeof JourneyNodeSchema>;

/** A connection from one output port of `source` to `target`. */
export const JourneyEdgeSchema = z.object({
  id: z.string().min(1).max(140),
  source: NodeIdSchema,
  sourcePort: z.string().min(1).max(64),
  target: NodeIdSchema,
});
export type JourneyEdge = z.infer<typeof JourneyEdgeSchema>;

export const GRAPH_SCHEMA_VERSION = 1;

/** The whole journey as plain data: what the editor saves, what publishing freezes into a version. */
export const JourneyGraphSchema = z.object({
  schemaVersion: z.literal(GRAPH_SCHEMA_VERSION).default(GRAPH_SCHEMA_VERSION),
  nodes: z.array(JourneyNodeSchema).max(2000),
  edges: z.array(JourneyEdgeSchema).max(5000),
  settings: JourneySettingsSchema.default(JourneySettingsSchema.parse({})),
});
export type JourneyGraph = z.infer<typeof JourneyGraphSchema>;
export type JourneyGraphInput = z.input<typeof JourneyGraphSchema>;

/** A problem in parsed input, with the exact path to it, e.g. `nodes[2].position.x`. */
export interface InputIssue {
  path: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(root)';
}

export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Thrown when input does not match a schema; the message lists every problem with its path. */
export class InvalidInputError extends Error {
  constructor(
    readonly what: string,
    readonly issues: InputIssue[],
  ) {
    super(`invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidInputError';
  }
}

/** Parses untrusted input into a journey graph or throws InvalidInputError naming each bad path. */
export function parseJourneyGraph(input: unknown): JourneyGraph {
  const result = JourneyGraphSchema.safeParse(input);
  if (!result.success) throw new InvalidInputError('journey graph', issuesOf(result.error));
  return result.data;
}
