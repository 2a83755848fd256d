import type { AppRouter } from '@siyu/runtime';
import { type TRPCClient } from '@trpc/client';
/**
 * The typed client for the server's tRPC API (same origin, session cookie). Only the router TYPE
 * comes from @siyu/runtime, so no server code reaches the browser bundle.
 */
export declare const api: TRPCClient<AppRouter>;
/** Whether a server is there and who is signed in (null = signed out; undefined = no server). */
export declare function probeServer(): Promise<{
    signedIn: boolean;
} | undefined>;
/** Saves a draft with optimistic concurrency: returns the new revision, or 'conflict' on 409. */
export declare function saveDraft(id: string, expectedRevision: number, draft: Parameters<typeof api.journeys.updateDraft.mutate>[0]['draft']): Promise<number | 'conflict'>;
