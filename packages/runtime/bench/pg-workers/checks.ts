// What a bench run must have done, checked at its end on the database and on the workers' own
// records: every customer at the journey's end, each effect executed exactly once. A run that
// breaks either throws (its figures are worthless, and a double send is the bug that matters).

export type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

export interface EndFacts {
  statuses: Record<string, number>;
  instances: number;
  customersWithRuns: number;
  timersLeft: number;
  /** Outbox rows: idempotency key → status. */
  effects: Map<string, string>;
  /** Instance id by customer (re-entry "once": one each). */
  instanceOf: Map<string, number>;
}

/** Reads the facts with statements both SQLite and PostgreSQL understand (quoted identifiers). */
export async function readEndFacts(query: Query): Promise<EndFacts> {
  const statuses: Record<string, number> = {};
  for (const r of await query('SELECT status, count(*) AS n FROM "Instance" GROUP BY status'))
    statuses[String(r.status)] = Number(r.n);
  const instanceOf = new Map<string, number>();
  for (const r of await query('SELECT id, "customerId" FROM "Instance"'))
    instanceOf.set(String(r.customerId), Number(r.id));
  const effects = new Map<string, string>();
  for (const r of await query('SELECT "idempotencyKey" AS key, status FROM "OutboxEffect"'))
    effects.set(String(r.key), String(r.status));
  return {
    statuses,
    instances: Object.values(statuses).reduce((a, b) => a + b, 0),
    customersWithRuns: instanceOf.size,
    timersLeft: Number((await query('SELECT count(*) AS n FROM "Timer"'))[0]?.n),
    effects,
    instanceOf,
  };
}

/**
 * Every customer ran the journey once to its end: the buyers completed (repurchase), the others
 * exited on the 7-day timeout; no run is active or failed, no timer is left, every effect is done,
 * and there are exactly the effects the journey makes (welcome and coupon each, the thank-you message per buyer; the tags are applied in the steps,
 * not through the outbox).
 */
export function checkJourneyEnd(facts: EndFacts, customers: number, buyers: number): void {
  const problems: string[] = [];
  const expected = { completed: buyers, exited: customers - buyers };
  for (const [status, n] of Object.entries(facts.statuses))
    if (n !== (expected[status as keyof typeof expected] ?? 0)) problems.push(`${n} runs ${status}`);
  for (const [status, n] of Object.entries(expected))
    if ((facts.statuses[status] ?? 0) !== n) problems.push(`expected ${n} runs ${status}`);
  if (facts.instances !== customers || facts.customersWithRuns !== customers)
    problems.push(`${facts.instances} runs for ${facts.customersWithRuns} of ${customers} customers`);
  if (facts.timersLeft !== 0) problems.push(`${facts.timersLeft} timers left`);
  const notDone = [...facts.effects.values()].filter((s) => s !== 'done').length;
  if (notDone > 0) problems.push(`${notDone} effects not done`);
  if (facts.effects.size !== 2 * customers + buyers)
    problems.push(`${facts.effects.size} effects stored, expected ${2 * customers + buyers}`);
  if (problems.length > 0)
    throw new Error(`bench run did not bring every customer to the journey's end: ${problems.join('; ')}`);
}

/**
 * Each stored effect was executed exactly once, over all workers: a key executed twice is a
 * customer messaged twice (names the workers that did it); one never executed, a customer skipped.
 */
export function checkExactlyOnce(
  executedBy: ReadonlyArray<{ workerId: string; calls: readonly string[] }>,
  storedKeys: Iterable<string>,
): void {
  const who = new Map<string, string[]>();
  for (const { workerId, calls } of executedBy)
    for (const key of calls) who.set(key, [...(who.get(key) ?? []), workerId]);
  const twice = [...who].filter(([, workers]) => workers.length > 1);
  const stored = new Set(storedKeys);
  const never = [...stored].filter((key) => !who.has(key));
  const unknown = [...who.keys()].filter((key) => !stored.has(key));
  const problems: string[] = [];
  const some = (keys: string[]) => `${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
  if (twice.length > 0)
    problems.push(
      `${twice.length} effects executed more than once (customers messaged twice): ${some(
        twice.map(([key, workers]) => `${key} ×${workers.length} by ${workers.join('+')}`),
      )}`,
    );
  if (never.length > 0) problems.push(`${never.length} stored effects never executed: ${some(never)}`);
  if (unknown.length > 0) problems.push(`${unknown.length} executed effects not in the outbox: ${some(unknown)}`);
  if (problems.length > 0) throw new Error(`bench run broke exactly-once: ${problems.join('; ')}`);
}
