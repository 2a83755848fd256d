// Reads the sandbox providers' own records and the engine's tables for the assertions every
// playbook makes: end states, one message per step, nothing sent in quiet hours.
import { inQuietHours } from './china-time.ts';
import type { Playbook } from './playbook.ts';

type Book = Pick<Playbook, 'rows'>;

/** Instances by "status@node(reason)", e.g. "exited@repurchased(已复购)" → count. */
export async function endStates(book: Book, journeyId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await book.rows<{ status: string; nodeId: string | null; exitReason: string | null; n: number }>(
    `SELECT status, nodeId, exitReason, count(*) AS n FROM Instance WHERE journeyId = ?
     GROUP BY status, nodeId, exitReason`,
    journeyId,
  )) {
    out[`${r.status}@${r.nodeId ?? ''}${r.exitReason ? `(${r.exitReason})` : ''}`] = r.n;
  }
  return out;
}

/** Steps (instance + node) that produced more than one message: must be none. */
export async function messagesTwicePerStep(book: Book): Promise<Array<{ step: string; n: number }>> {
  // Idempotency keys are "<instance>:<node>:<visit>"; one step = one instance at one node.
  const rows = await book.rows<{ idempotencyKey: string; nodeId: string }>(
    'SELECT idempotencyKey, nodeId FROM Message',
  );
  const perStep = tally(rows.map((m) => `${m.idempotencyKey.split(':')[0]}:${m.nodeId}`));
  return Object.entries(perStep).flatMap(([step, n]) => (n > 1 ? [{ step, n }] : []));
}

/** Messages on `channel` (other than WeCom welcomes, which answer the customer) sent in 21:00–08:00. */
export async function sentInQuietHours(
  book: Book,
  channel: string,
): Promise<Array<{ idempotencyKey: string; sentAt: number }>> {
  return (
    await book.rows<{ idempotencyKey: string; sentAt: number; kind: string }>(
      'SELECT idempotencyKey, sentAt, kind FROM Message WHERE channel = ?',
      channel,
    )
  ).filter((m) => m.kind !== 'welcome' && inQuietHours(Number(m.sentAt)));
}

/** SMS sent to a number at or after (to the second) its opt-out was recorded: must be none. */
export async function smsAfterOptOut(book: Book): Promise<number> {
  // Compared here, not in SQL: the two databases spell "epoch of a timestamp" differently.
  const rows = await book.rows<{ sentAt: number; optedOutAt: string }>(
    `SELECT m.sentAt, o.createdAt AS optedOutAt FROM Message m JOIN OptOut o ON o.address = m.recipient
     WHERE m.channel = 'sms'`,
  );
  return rows.filter((r) => Number(r.sentAt) >= Math.floor(Date.parse(r.optedOutAt) / 1000) * 1000).length;
}

/** How many customers carry each of these tags. */
export async function tagCounts(book: Book, tags: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(tags.map((t) => [t, 0]));
  for (const r of await book.rows<{ tag: string; n: number }>(
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
