import type { z } from 'zod';
/** The subset of JSON Schema that z.toJSONSchema produces and the form understands. */
export interface JsonSchema {
    type?: string | string[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    enum?: unknown[];
    const?: unknown;
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
    default?: unknown;
    minimum?: number;
    maximum?: number;
    minItems?: number;
    maxLength?: number;
    title?: string;
    description?: string;
    $ref?: string;
    $defs?: Record<string, JsonSchema>;
    /** `.meta({ widget })` hints written by node packages: tags, duration, filter, smsText, … */
    widget?: string;
    label?: string | {
        'zh-CN': string;
        en: string;
    };
    [key: string]: unknown;
}
export declare function toJsonSchema(schema: z.ZodType): JsonSchema;
/** Follows a local `$ref` (`#/$defs/x`) against the root schema. */
export declare function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema;
/** The non-null branch of an optional/nullable union, when there is exactly one. */
export declare function unwrapOptional(schema: JsonSchema): JsonSchema;
export declare function widgetOf(schema: JsonSchema): string | undefined;
/** A sensible starting value for a new array item or newly shown field. */
export declare function defaultFor(schema: JsonSchema, root: JsonSchema): unknown;
