import { type ApiErrorDetail, type ApiErrorKey, type ApiErrorParams, apiErrorDetail, apiErrorText } from '@siyu/shared';

/**
 * Input the engine cannot act on (unknown customer or entry node, malformed event): the caller's
 * mistake. It carries a code from API_ERROR_MESSAGES, so the API answers it in the caller's
 * language; the message is its English.
 */
export class EngineInputError extends Error {
  readonly detail: ApiErrorDetail;
  constructor(key: ApiErrorKey, params?: ApiErrorParams<ApiErrorKey>) {
    const detail = apiErrorDetail(key, params as never);
    super(apiErrorText(detail)?.en ?? key);
    this.detail = detail;
    this.name = 'EngineInputError';
  }
}
