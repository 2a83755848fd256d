// China has one time zone and no daylight saving: UTC+8 all year, so plain arithmetic is exact.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const OFFSET = 8 * HOUR;

/** Epoch ms of a China wall-clock time. */
export function chinaTime(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) - OFFSET;
}

/** Hour of day (0–23) in China. */
export function chinaHour(at: number): number {
  return new Date(at + OFFSET).getUTCHours();
}

/** Inside the default quiet hours, 21:00–08:00 China time. */
export function inQuietHours(at: number): boolean {
  const h = chinaHour(at);
  return h >= 21 || h < 8;
}

/** When a message due at `at` may go out under 21:00–08:00 quiet hours (deferred to 08:00). */
export function afterQuietHours(at: number): number {
  if (!inQuietHours(at)) return at;
  const local = new Date(at + OFFSET);
  const eight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 8) - OFFSET;
  return eight > at ? eight : eight + DAY;
}
