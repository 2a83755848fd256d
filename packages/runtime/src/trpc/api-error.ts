import { type ApiErrorDetail, type ApiErrorKey, type ApiErrorParams, apiErrorDetail, apiErrorText } from '@siyu/shared';
import { TRPCError } from '@trpc/server';

type ErrorCode = ConstructorParameters<typeof TRPCError>[0]['code'];

/**
 * An API error with a code from `@siyu/shared`'s API_ERROR_MESSAGES and its parameters: the error
 * formatter sends them as `data.error` (the editor words them in the operator's language) and the
 * English words as the plain `message` for API clients.
 */
export class ApiError extends TRPCError {
  constructor(
    code: ErrorCode,
    readonly detail: ApiErrorDetail,
    cause?: unknown,
  ) {
    super({ code, message: apiErrorText(detail)?.en ?? detail.key, cause });
  }
}

export function apiError<K extends ApiErrorKey>(
  code: ErrorCode,
  key: K,
  params?: ApiErrorParams<K>,
  cause?: unknown,
): ApiError {
  return new ApiError(code, apiErrorDetail(key, params), cause);
}

/** A domain error's words, for errors thrown below the API (lifecycle, reports) that carry a code too. */
export function englishOf(detail: ApiErrorDetail): string {
  return apiErrorText(detail)?.en ?? detail.key;
}

/** The code an error carries, on itself or on its cause (a domain error wrapped by tRPC). */
export function apiErrorDetailFrom(error: unknown): ApiErrorDetail | undefined {
  for (
    let e = error, depth = 0;
    e && typeof e === 'object' && depth < 3;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const detail = (e as { detail?: unknown }).detail as ApiErrorDetail | undefined;
    if (detail && typeof detail === 'object' && typeof detail.key === 'string') return detail;
  }
  return undefined;
}
