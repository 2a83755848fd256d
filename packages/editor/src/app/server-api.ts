import type { AppRouter } from '@siyu/runtime';
import type { GraphProblem, Locale } from '@siyu/shared';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import i18next from 'i18next';
import { localizingFetch } from './server-errors.ts';

/** The language the operator chose, read where no hook can be (the fetch below, error words). */
export const uiLocale = (): Locale => (i18next.language === 'en' ? 'en' : 'zh-CN');

/**
 * The typed client for the server's tRPC API (same origin, session cookie). Only the router TYPE
 * comes from @siyu/runtime, so no server code reaches the browser bundle. Its errors arrive in the
 * operator's language (server-errors.ts).
 */
export const api: TRPCClient<AppRouter> = createTRPCClient<AppRouter>({
  links: [httpBatchLink({ url: '/trpc', fetch: localizingFetch(uiLocale) })],
});

/** Whether a server is there and who is signed in (null = signed out; undefined = no server). */
export async function probeServer(): Promise<{ signedIn: boolean } | undefined> {
  try {
    const me = await api.auth.me.query();
    return { signedIn: me !== null };
  } catch {
    return undefined;
  }
}

/**
 * Saves a draft with optimistic concurrency: returns the new revision and the server's problems
 * with the saved draft (they include references to missing workspace resources), or 'conflict' on 409.
 */
export async function saveDraft(
  id: string,
  expectedRevision: number,
  draft: Parameters<typeof api.journeys.updateDraft.mutate>[0]['draft'],
): Promise<{ revision: number; problems: GraphProblem[] } | 'conflict'> {
  try {
    const saved = await api.journeys.updateDraft.mutate({ id, expectedRevision, draft });
    return { revision: saved.draftRevision, problems: saved.problems };
  } catch (error) {
    if ((error as { data?: { code?: string } }).data?.code === 'CONFLICT') return 'conflict';
    throw error;
  }
}
