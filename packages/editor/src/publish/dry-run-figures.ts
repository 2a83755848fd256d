import type { api } from '../app/server-api.ts';

export type DryRunResult = Awaited<ReturnType<typeof api.runs.dryRun.mutate>>;
export type Forecast = NonNullable<DryRunResult['forecast']>;

/** SMS cost at `pricePerPart` yuan: billed parts × price (the price can change after the run). */
export function smsCost(forecast: Pick<Forecast, 'smsParts'>, pricePerPart: number): number {
  return Math.round(forecast.smsParts * pricePerPart * 100) / 100;
}

/** Coupons forecast over what is left in their batch: how many more than the stock holds (0 when within). */
export function overBudget(coupon: Forecast['coupons'][number]): number {
  return Math.max(0, Math.ceil(coupon.issued - coupon.left));
}

/** True when the error is the server's "another dry run is going on" (HTTP 429). */
export function isBusy(error: unknown): boolean {
  const data = (error as { data?: { httpStatus?: number; code?: string } } | null)?.data;
  return data?.httpStatus === 429 || data?.code === 'TOO_MANY_REQUESTS';
}
