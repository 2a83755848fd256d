// Sandbox executors for the stand-in node package (`@siyu/shared/testing`), for the engine's own
// tests, the crash test and the benchmark. Every message is a Message row keyed by
// the idempotency key (unique), so the table itself proves "exactly once".
import { defineExecutor, type NodeExecutor, PermanentError, RetryableError } from '@siyu/shared';
import { coupon, send, tag } from '@siyu/shared/testing';
import type BetterSqlite3 from 'better-sqlite3';
import type { AppDatabase } from '../src/db/app-database.ts';
import type { SqlClient } from '../src/db/sql-client.ts';
import { sqliteSqlClient } from '../src/db/sqlite-sql.ts';

export interface SandboxOptions {
  /** Called before each send; throw RetryableError/PermanentError to simulate provider trouble. */
  beforeSend?: (idempotencyKey: string, attempt: number) => void;
  /** Called after a message was recorded (latency measurement). */
  onSent?: (idempotencyKey: string) => void;
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

/**
 * Through the SQL port. On SQLite the port commits the writes a dispatcher batch's executors issue
 * together in one transaction (db/sqlite-grouped-writes.ts), and each executor returns only after
 * that commit: the provider's record is durable before the engine stores the outcome.
 */
function portWrites(sql: SqlClient): SandboxWrites {
  return {
    async message(row) {
      await sql.run(INSERT_MESSAGE, row);
    },
    async tags(rows) {
      await Promise.all(rows.map((row) => sql.run(INSERT_TAG, row)));
    },
  };
}

/**
 * Sandbox executors over the runtime database. A message is recorded once by its idempotency key
 * (ON CONFLICT DO NOTHING), so a retry after a crash finds the earlier send and reports success again.
 */
export function sampleExecutors(sqlite: BetterSqlite3.Database, options: SandboxOptions = {}): NodeExecutor[] {
  return executorsOver(portWrites(sqliteSqlClient(sqlite)), options);
}

/** `sampleExecutors` on either database, through its SQL port. */
export function sampleExecutorsOn(db: AppDatabase, options: SandboxOptions = {}): NodeExecutor[] {
  return executorsOver(portWrites(db.sql), options);
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
