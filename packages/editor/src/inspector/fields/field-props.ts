import type { JsonSchema } from '../json-schema.ts';

/** What every field widget of SchemaForm gets. */
export interface FieldProps {
  schema: JsonSchema;
  root: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  name: string;
  /** The field's words when its position names it rather than a key (an array item: "上限 1"). */
  label?: string;
  path: string;
  /** Config of the whole node, for widgets that look at siblings (SMS signature). */
  context: Record<string, unknown>;
  errors: ReadonlyMap<string, string>;
}
