// Sandbox executors for the stand-in node package (`@siyu/shared/testing`), for the engine's own
// tests, the crash test and the benchmark. Every message is a Message row keyed by
// the idempotency key (unique), so the table itself proves "exactly once".
import { defineExecutor, type NodeExecutor, PermanentError, RetryableError } from '@siyu/shared';
import { coupon, send, tag } from '@siyu/shared/testing';
import type BetterSqlite3 from 'better-sqlite3';
import type { AppDatabase } from '../src/db/app-database.ts';
import type { SqlClient } from '../src/db/sql-client.ts';

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

/** Where the sandbox records what it sent: Message rows and tags, each once by its key. */
interface SandboxWrites {
  message(row: [string, string, string, string, string, string, number]): Promise<void>;
  tags(rows: Array<[string, string, string, string]>): Promise<void>;
}

const INSERT_MESSAGE = `INSERT INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, nodeId, sentAt)
  VALUES (?, ?, ?, 'sandbox', ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const INSERT_TAG =
  'INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING';

/** On SQLite: prepared statements, group-committed (see groupCommit). */
function sqliteWrites(sqlite: BetterSqlite3.Database): SandboxWrites {
  const record = groupCommit(sqlite);
  const insertMessage = sqlite.prepare(INSERT_MESSAGE);
  const insertTag = sqlite.prepare(INSERT_TAG);
  return {
    message: (row) => record(() => insertMessage.run(...row)),
    tags: (rows) =>
      record(() => {
        for (const row of rows) insertTag.run(...row);
      }),
  };
}

/** Through the SQL port (PostgreSQL): one statement per row, committed as it runs. */
function portWrites(sql: SqlClient): SandboxWrites {
  return {
    async message(row) {
      await sql.run(INSERT_MESSAGE, row);
    },
    async tags(rows) {
      for (const row of rows) await sql.run(INSERT_TAG, row);
    },
  };
}

/**
 * Sandbox executors over the runtime database. A message is recorded once by its idempotency key
 * (ON CONFLICT DO NOTHING), so a retry after a crash finds the earlier send and reports success again.
 */
export function sampleExecutors(sqlite: BetterSqlite3.Database, options: SandboxOptions = {}): NodeExecutor[] {
  return executorsOver(sqliteWrites(sqlite), options);
}

/** `sampleExecutors` on either database (PostgreSQL: through the SQL port). */
export function sampleExecutorsOn(db: AppDatabase, options: SandboxOptions = {}): NodeExecutor[] {
  return db.dialect === 'sqlite' ? sampleExecutors(db.sqlite, options) : executorsOver(portWrites(db.sql), options);
}

function executorsOver(writes: SandboxWrites, options: SandboxOptions): NodeExecutor[] {
  return [
    defineExecutor(send, async (ctx) => {
      options.beforeSend?.(ctx.idempotencyKey, ctx.attempt);
      if (!ctx.customer.identities.phone && ctx.config.channel === 'sms') {
        throw new PermanentError('customer has no phone number', { code: 'noPhone' });
      }
      await writes.message([
        ctx.idempotencyKey,
        ctx.customer.id,
        ctx.config.channel,
        ctx.customer.identities.phone ?? ctx.customer.id,
        ctx.config.text,
        ctx.nodeId,
        ctx.now.getTime(),
      ]);
      options.onSent?.(ctx.idempotencyKey);
      return { port: 'sent' };
    }),
    defineExecutor(tag, async (ctx) => {
      const at = ctx.now.toISOString().replace('Z', '+00:00');
      await writes.tags(
        ctx.config.add.map((name): [string, string, string, string] => [
          ctx.customer.id,
          name,
          `journey:${ctx.journey.id}`,
          at,
        ]),
      );
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
