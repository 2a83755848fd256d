import { type JourneyEdge, type JourneyNode } from '@siyu/shared';
import { z } from 'zod';
/** What copy puts on the clipboard: plain journey nodes/edges, so it pastes into any journey. */
export declare const ClipboardSchema: z.ZodObject<{
    kind: z.ZodLiteral<"siyu.journey-fragment">;
    nodes: z.ZodArray<z.ZodObject<{
        id: z.ZodString;
        type: z.ZodString;
        typeVersion: z.ZodNumber;
        config: z.ZodRecord<z.ZodString, z.ZodUnknown>;
        position: z.ZodObject<{
            x: z.ZodNumber;
            y: z.ZodNumber;
        }, z.core.$strip>;
        label: z.ZodOptional<z.ZodString>;
    }, z.core.$strip>>;
    edges: z.ZodArray<z.ZodObject<{
        id: z.ZodString;
        source: z.ZodString;
        sourcePort: z.ZodString;
        target: z.ZodString;
    }, z.core.$strip>>;
}, z.core.$strip>;
export type ClipboardFragment = z.infer<typeof ClipboardSchema>;
/** Selected nodes plus only the edges that run between them. */
export declare function copyFragment(nodes: readonly JourneyNode[], edges: readonly JourneyEdge[]): ClipboardFragment;
/** Parses clipboard text; undefined when it is not a journey fragment (e.g. ordinary text). */
export declare function parseFragment(text: string): ClipboardFragment | undefined;
/** Fresh ids for every pasted node (edges rewired to them), shifted so the copy is visible. */
export declare function instantiateFragment(fragment: ClipboardFragment, offset: {
    x: number;
    y: number;
}): {
    nodes: JourneyNode[];
    edges: JourneyEdge[];
};
