import type { api } from '../app/server-api.ts';

export type DryRunResult = Awaited<ReturnType<typeof api.runs.dryRun.mutate>>;
export type Forecast = NonNullable<DryRunResult['forecast']>;

/** SMS cost at `pricePerPart` yuan: billed parts × price (the price can change after the run). */
export function smsCost(forecast: Pick<Forecast, 'smsParts'>, pricePerPart: number): number {
  return Math.round(forecast.smsParts * pricePerPart * 100) / 100;
}

type CouponForecast = Forecast['coupons'][number];

/** Coupons forecast over what is left in their batch: how many more than the stock holds (0 when within). */
export function overBudget(coupon: CouponForecast): number {
  return Math.max(0, Math.ceil(coupon.issued - coupon.left));
}

/**
 * The batch against the forecast: `over` when more would be issued than is left (a sample scaled
 * up), `usesUp` when the forecast takes all that is left (the simulation stops at the stock, so
 * customers after that get none), else `within`.
 */
export function budgetState(coupon: CouponForecast): 'over' | 'usesUp' | 'within' {
  if (coupon.exceedsStock || overBudget(coupon) > 0) return 'over';
  return coupon.issued >= coupon.left ? 'usesUp' : 'within';
}

/** True when the error is the server's "another dry run is going on" (HTTP 429). */
export function isBusy(error: unknown): boolean {
  const data = (error as { data?: { httpStatus?: number; code?: string } } | null)?.data;
  return data?.httpStatus === 429 || data?.code === 'TOO_MANY_REQUESTS';
}
