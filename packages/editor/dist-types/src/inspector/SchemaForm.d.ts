import { type JsonSchema } from './json-schema.ts';
/** A form for any zod config schema (via its JSON Schema), with widgets for the hinted fields. */
export declare function SchemaForm(props: {
    schema: JsonSchema;
    value: Record<string, unknown>;
    onChange: (value: Record<string, unknown>) => void;
    errors?: ReadonlyMap<string, string>;
}): import("react").JSX.Element;
