// Core node dependencies over the runtime's database (SQLite or PostgreSQL, through the SQL port):
// tags (CustomerTag), attributes changed once per step (EffectReceipt in the same transaction),
// staff tasks (StaffTask keyed by the step's idempotency key) and webhook signing secrets from
// WEBHOOK_SECRET / WEBHOOK_SECRET_<NAME>.
import { webhookSecretVariable } from '@siyu/nodes-core';
import type { CoreServerDeps } from '@siyu/nodes-core/server';
import { type CredentialReader, createEffectCalls } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { isoDate as isoText } from '../db/iso-date.ts';
import { forUpdate } from '../db/sql-dialect.ts';
import type { Clock } from '../engine/api.ts';
import type { Logger } from '../logger.ts';
import { customerTagWriter } from './customer-tags.ts';
import { createExtensionStorage, effectNamespace } from './extension-storage.ts';
import { storedCredentials } from './stored-credentials.ts';

export interface CoreServicesDeps {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  /** Where webhook secrets are read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** Stored credentials; default: the credential store over `db`. */
  credentials?: CredentialReader;
}

export function createCoreServices(deps: CoreServicesDeps): CoreServerDeps {
  const { sql } = deps.db;
  const env = deps.env ?? process.env;
  const writeTags = customerTagWriter(sql, deps.clock);

  const updateAttributesOnce = (
    customerId: string,
    key: string,
    change: (current: Record<string, unknown>) => Record<string, unknown>,
  ) =>
    sql.transaction(async (tx) => {
      // The customer row is held (PostgreSQL; SQLite's transaction holds the write lock), so a
      // concurrent run of the same step waits and then finds the receipt below.
      const row = await tx.get<{ attributes: string }>(
        `SELECT attributes FROM Customer WHERE id = ?${forUpdate(tx.dialect)}`,
        [customerId],
      );
      if (!row) throw new Error(`customer ${customerId} does not exist`);
      const current = JSON.parse(row.attributes) as Record<string, unknown>;
      // A receipt already there means this step's change was applied before a crash or retry.
      const receipt = await tx.run(
        'INSERT INTO EffectReceipt (key, createdAt) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
        [key, isoText(deps.clock.now())],
      );
      if (receipt.changes === 0) return current;
      const next = change(current);
      await tx.run('UPDATE Customer SET attributes = ?, updatedAt = ? WHERE id = ?', [
        JSON.stringify(next),
        isoText(deps.clock.now()),
        customerId,
      ]);
      return next;
    });

  return {
    customers: {
      async updateTags({ customerId, add, remove, source }) {
        await writeTags(customerId, add, remove, source);
      },
      async updateAttributesOnce({ customerId, idempotencyKey, change }) {
        return updateAttributesOnce(customerId, idempotencyKey, change);
      },
    },
    staffTasks: {
      async create(task) {
        const now = isoText(deps.clock.now());
        // Keyed by the step's idempotency key: a retried step creates no second task.
        const info = await sql.run(
          `INSERT INTO StaffTask (id, instanceId, nodeId, customerId, assignee, title, body, status, dueAt, createdAt)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
           ON CONFLICT (id) DO NOTHING`,
          [
            task.id,
            Number(task.instanceId),
            task.nodeId,
            task.customerId,
            task.assignee,
            task.title,
            task.body,
            isoText(task.dueAt.getTime()),
            now,
          ],
        );
        if (info.changes > 0) deps.logger.info({ taskId: task.id, assignee: task.assignee }, 'staff task created');
        return { created: info.changes > 0 };
      },
    },
    credentials: deps.credentials ?? storedCredentials(deps.db),
    effects: createEffectCalls(createExtensionStorage(deps.db, effectNamespace('core'), deps.clock), () =>
      deps.clock.now(),
    ),
    webhooks: {
      secret: (name) => env[webhookSecretVariable(name)] || undefined,
      fetch: deps.fetch,
    },
  };
}
