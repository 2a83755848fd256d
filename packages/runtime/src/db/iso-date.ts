let lastMs = Number.NaN;
let lastIso = '';
/**
 * Prisma's SQLite adapter stores DateTime as ISO-8601 with an explicit offset; match it. A batch
 * formats the same instant many times, so the last one is remembered.
 */
export function isoDate(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString().replace('Z', '+00:00');
    lastMs = ms;
  }
  return lastIso;
}
