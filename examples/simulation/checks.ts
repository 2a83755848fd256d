// Reads the sandbox providers' own records and the engine's tables for the assertions every
// playbook makes: end states, one message per step, nothing sent in quiet hours.
import { inQuietHours } from './china-time.ts';
import type { Playbook } from './playbook.ts';

type Book = Pick<Playbook, 'rows'>;

/** Instances by "status@node(reason)", e.g. "exited@repurchased(已复购)" → count. */
export function endStates(book: Book, journeyId: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of book.rows<{ status: string; nodeId: string | null; exitReason: string | null; n: number }>(
    `SELECT status, nodeId, exitReason, count(*) AS n FROM Instance WHERE journeyId = ?
     GROUP BY status, nodeId, exitReason`,
    journeyId,
  )) {
    out[`${r.status}@${r.nodeId ?? ''}${r.exitReason ? `(${r.exitReason})` : ''}`] = r.n;
  }
  return out;
}

/** Steps (instance + node) that produced more than one message: must be none. */
export function messagesTwicePerStep(book: Book): Array<{ step: string; n: number }> {
  // Idempotency keys are "<instance>:<node>:<visit>"; one step = one instance at one node.
  return book.rows(
    `SELECT substr(idempotencyKey, 1, instr(idempotencyKey, ':') - 1) || ':' || nodeId AS step, count(*) AS n
     FROM Message GROUP BY step HAVING n > 1`,
  );
}

/** Messages on `channel` (other than WeCom welcomes, which answer the customer) sent in 21:00–08:00. */
export function sentInQuietHours(book: Book, channel: string): Array<{ idempotencyKey: string; sentAt: number }> {
  return book
    .rows<{ idempotencyKey: string; sentAt: number; kind: string }>(
      'SELECT idempotencyKey, sentAt, kind FROM Message WHERE channel = ?',
      channel,
    )
    .filter((m) => m.kind !== 'welcome' && inQuietHours(Number(m.sentAt)));
}

/** How many customers carry each of these tags. */
export function tagCounts(book: Book, tags: readonly string[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(tags.map((t) => [t, 0]));
  for (const r of book.rows<{ tag: string; n: number }>(
    `SELECT tag, count(*) AS n FROM CustomerTag WHERE tag IN (${tags.map(() => '?').join(',')}) GROUP BY tag`,
    ...tags,
  )) {
    out[r.tag] = r.n;
  }
  return out;
}

/** Counts values, e.g. tally(['a','b','a']) → { a: 2, b: 1 }. */
export function tally(values: Iterable<string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
