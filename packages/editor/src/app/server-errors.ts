import { apiErrorText, type Locale } from '@siyu/shared';

interface ErrorEnvelope {
  error?: { message?: unknown; json?: unknown; data?: { error?: { key?: unknown; params?: unknown } } };
}

/** An API error's words in `locale`, from the code the server sent; undefined for an unknown code. */
export function serverErrorWords(
  data: { error?: { key?: unknown; params?: unknown } } | undefined,
  locale: Locale,
): string | undefined {
  const detail = data?.error;
  if (!detail || typeof detail.key !== 'string') return undefined;
  return apiErrorText({ key: detail.key, params: (detail.params ?? {}) as Record<string, string | number> })?.[locale];
}

/**
 * Rewrites the errors of a tRPC response body (one answer or a batch) so each `message` is the
 * catalog's words for its code in the operator's language; the code and parameters stay in
 * `data.error`. Answers without a known code keep the server's message.
 */
export function localizeErrorBody(body: unknown, locale: Locale): unknown {
  const envelopes = Array.isArray(body) ? body : [body];
  for (const envelope of envelopes as ErrorEnvelope[]) {
    const error = envelope?.error;
    if (!error || typeof error !== 'object') continue;
    const words = serverErrorWords(error.data, locale);
    if (words) error.message = words;
  }
  return body;
}

/**
 * fetch for the tRPC client: an error answer (4xx/5xx, or a batch with some errors: 207) comes back
 * with its messages in the operator's language, so every page that shows `error.message` shows words
 * the operator reads.
 */
export function localizingFetch(locale: () => Locale): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, { ...init, credentials: 'same-origin' });
    if (res.ok && res.status !== 207) return res;
    if (!(res.headers.get('content-type') ?? '').includes('json')) return res;
    const body = localizeErrorBody(await res.json(), locale());
    return new Response(JSON.stringify(body), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
