// Sandbox executors for the stand-in node package (`@siyu/shared/testing`), for the engine's own
// tests, the crash test and the benchmark. Every message is a Message row keyed by
// the idempotency key (unique), so the table itself proves "exactly once".
import { defineExecutor, type NodeExecutor, PermanentError, RetryableError } from '@siyu/shared';
import { coupon, send, tag } from '@siyu/shared/testing';
import type BetterSqlite3 from 'better-sqlite3';

export interface SandboxOptions {
  /** Called before each send; throw RetryableError/PermanentError to simulate provider trouble. */
  beforeSend?: (idempotencyKey: string, attempt: number) => void;
  /** Called after a message was recorded (latency measurement). */
  onSent?: (idempotencyKey: string) => void;
}

/**
 * The sandbox provider's group commit: writes requested in the same turn of the event loop (a
 * dispatcher batch starts all its executors at once) are committed in one transaction, and each
 * executor returns only after that commit. The provider's record is durable before the engine
 * stores the outcome, exactly as with one commit per message, at a fraction of the cost.
 */
function groupCommit(sqlite: BetterSqlite3.Database): (write: () => void) => Promise<void> {
  let queue: Array<{ write: () => void; resolve: () => void; reject: (error: unknown) => void }> = [];
  const commit = () => {
    const batch = queue;
    queue = [];
    const failures = new Map<number, unknown>();
    try {
      sqlite.transaction(() => {
        batch.forEach((item, i) => {
          try {
            item.write();
          } catch (error) {
            failures.set(i, error);
          }
        });
      })();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      if (failures.has(i)) item.reject(failures.get(i));
      else item.resolve();
    });
  };
  return (write) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length === 0) queueMicrotask(commit);
      queue.push({ write, resolve, reject });
    });
}

/**
 * Sandbox executors over the runtime database. A message is recorded with INSERT OR IGNORE on its
 * idempotency key, so a retry after a crash finds the earlier send and reports success again.
 */
export function sampleExecutors(sqlite: BetterSqlite3.Database, options: SandboxOptions = {}): NodeExecutor[] {
  const record = groupCommit(sqlite);
  const insertMessage = sqlite.prepare(
    `INSERT OR IGNORE INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, nodeId, sentAt)
     VALUES (?, ?, ?, 'sandbox', ?, ?, ?, ?)`,
  );
  const insertTag = sqlite.prepare(
    `INSERT OR IGNORE INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, ?, ?, ?)`,
  );
  return [
    defineExecutor(send, async (ctx) => {
      options.beforeSend?.(ctx.idempotencyKey, ctx.attempt);
      if (!ctx.customer.identities.phone && ctx.config.channel === 'sms') {
        throw new PermanentError('customer has no phone number', { code: 'noPhone' });
      }
      await record(() =>
        insertMessage.run(
          ctx.idempotencyKey,
          ctx.customer.id,
          ctx.config.channel,
          ctx.customer.identities.phone ?? ctx.customer.id,
          ctx.config.text,
          ctx.nodeId,
          ctx.now.getTime(),
        ),
      );
      options.onSent?.(ctx.idempotencyKey);
      return { port: 'sent' };
    }),
    defineExecutor(tag, async (ctx) => {
      const at = ctx.now.toISOString().replace('Z', '+00:00');
      await record(() => {
        for (const name of ctx.config.add) insertTag.run(ctx.customer.id, name, `journey:${ctx.journey.id}`, at);
      });
      options.onSent?.(ctx.idempotencyKey);
      return { port: 'next' };
    }),
    defineExecutor(coupon, async (ctx) => {
      options.onSent?.(ctx.idempotencyKey);
      return { port: 'issued', data: { couponId: `sandbox-${ctx.idempotencyKey}` } };
    }),
  ];
}

export { RetryableError };
