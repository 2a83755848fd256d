/**
 * How deeply arrays and objects may nest in data from outside (event payloads, API inputs). Real
 * payloads nest a few levels; a crafted one nested 100,000 deep parses fine (JSON.parse does not
 * recurse) but overflows the stack of everything recursive after it: zod, JSON.stringify, logs.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether `value` nests arrays/objects deeper than `max`. Iterative, so it cannot itself overflow
 * the stack, and stops at the first path that is too deep.
 */
export function nestsDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    if (depth >= max) return true;
    seen.add(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
