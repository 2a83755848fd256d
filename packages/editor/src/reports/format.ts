/** Number formats the report pages share (zh-CN and en read them the same way). */
export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;
export const yuan = (cents: number | null | undefined) =>
  cents === null || cents === undefined ? '—' : `¥${(cents / 100).toFixed(2)}`;
export const pValue = (p: number | null | undefined) =>
  p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3);
export const interval = (ci: { low: number; high: number } | null | undefined) =>
  ci ? `${pct(ci.low)} – ${pct(ci.high)}` : '—';
