/** Chinese names for common config keys; anything else shows its schema title or key. */
export declare const KEY_LABELS: Record<string, [string, string]>;
export declare const ENUM_LABELS: Record<string, [string, string]>;
