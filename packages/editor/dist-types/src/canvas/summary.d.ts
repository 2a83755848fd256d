import type { Locale } from '@siyu/shared';
/** A one-line description of a node's config for its card, generic over any config shape. */
export declare function summarize(config: Record<string, unknown>, locale: Locale): string;
