import type { AppRouter } from '@siyu/runtime';
import type { Locale } from '@siyu/shared';
import { QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy, type TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, uiLocale } from '../server-api.ts';
import { serverErrorWords } from '../server-errors.ts';
import type { Words } from './words.ts';

/**
 * The one query cache of the app. Pages read the server through `trpc.<router>.<procedure>
 * .queryOptions(input, { refetchInterval })` and change it through `.mutationOptions()`, so loading,
 * errors, polling and refetch-after-change are react-query's, not hand-written per page. A failed
 * poll keeps the last data and shows the error; the next poll retries. A paged or filtered table
 * passes `placeholderData: keepPreviousData`, so the last page stays while the next one loads
 * (elsewhere a changed input must not show the previous answer as if it were the new one).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // An operator's page should show the server's refusal at once, not after three silent retries.
      retry: false,
      refetchOnWindowFocus: false,
    },
  },
});

/**
 * tRPC's react-query integration over the same client as `api` (server-api.ts), so every error
 * message arrives already in the operator's language (server-errors.ts).
 */
export const trpc: TRPCOptionsProxy<AppRouter> = createTRPCOptionsProxy<AppRouter>({ client: api, queryClient });

/**
 * For lists the canvas and inspector name things from (coupon batches, SMS templates, picker
 * options): read again when the tab comes back into focus, where one may have been created on its
 * page in another tab. One cache entry per list, shared by every card and field that shows it.
 */
export const REFRESH_ON_RETURN = { refetchOnWindowFocus: true } as const;

/** Query key prefix of the inspector's picker options (pickers.tsx): invalidate it after a change. */
export const PICKER_OPTIONS_KEY = 'pickerOptions';

/**
 * A query or mutation error's words for the page ('' when there is none). A server error carries its
 * code: it is worded again in the language now chosen, since its message was put into the language
 * of the moment it arrived and the operator may switch while it shows.
 */
export function errorText(error: unknown, locale: Locale = uiLocale()): string {
  const words = serverErrorWords((error as { data?: Parameters<typeof serverErrorWords>[0] } | null)?.data, locale);
  if (words) return words;
  return error instanceof Error ? error.message : error ? String(error) : '';
}

/**
 * A page's error, held as it was caught and worded at every render: a server error then follows a
 * language switch (errorText), where a message stored as text stays in the language it came in.
 * A check of the page's own is set as `Words` (`(t) => t('…')`), worded at each render too.
 * `setError('')` clears it.
 */
export function useErrorText(): [string, (error: unknown) => void] {
  // Subscribes to language changes (a re-render); not app/i18n.ts, which reads localStorage on load
  // and would keep this module out of node-side tests.
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>('');
  // Through a function: React would call a Words given directly as a state updater.
  const hold = useCallback((next: unknown) => setError(() => next), []);
  return [typeof error === 'function' ? (error as Words)(t) : errorText(error), hold];
}
