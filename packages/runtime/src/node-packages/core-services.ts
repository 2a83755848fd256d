// Core node dependencies over the runtime's SQLite: tags (CustomerTag), attributes changed once
// per step (EffectReceipt in the same transaction), staff tasks (StaffTask keyed by the step's
// idempotency key) and webhook signing secrets from WEBHOOK_SECRET / WEBHOOK_SECRET_<NAME>.
import { webhookSecretVariable } from '@siyu/nodes-core';
import type { CoreServerDeps } from '@siyu/nodes-core/server';
import { type CredentialReader, createEffectCalls } from '@siyu/shared';
import { createCredentialStore } from '../credentials/store.ts';
import type { Database } from '../db/database.ts';
import type { Clock } from '../engine/api.ts';
import { isoDate as isoText } from '../db/iso-date.ts';
import type { Logger } from '../logger.ts';
import { customerTagWriter } from './customer-tags.ts';
import { createExtensionStorage, effectNamespace } from './extension-storage.ts';

export interface CoreServicesDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** Where webhook secrets are read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  fetch?: typeof fetch;
  /** Stored credentials; default: the credential store over `db`. */
  credentials?: CredentialReader;
}

export function createCoreServices(deps: CoreServicesDeps): CoreServerDeps {
  const { sqlite } = deps.db;
  const env = deps.env ?? process.env;
  const writeTags = customerTagWriter(sqlite, deps.clock);
  const insertReceipt = sqlite.prepare('INSERT OR IGNORE INTO EffectReceipt (key, createdAt) VALUES (?, ?)');
  const readAttributes = sqlite.prepare<[string], { attributes: string }>(
    'SELECT attributes FROM Customer WHERE id = ?',
  );
  const writeAttributes = sqlite.prepare('UPDATE Customer SET attributes = ?, updatedAt = ? WHERE id = ?');
  const insertTask = sqlite.prepare(
    `INSERT OR IGNORE INTO StaffTask (id, instanceId, nodeId, customerId, assignee, title, body, status, dueAt, createdAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
  );

  const updateAttributesOnce = sqlite.transaction(
    (customerId: string, key: string, change: (current: Record<string, unknown>) => Record<string, unknown>) => {
      const row = readAttributes.get(customerId);
      if (!row) throw new Error(`customer ${customerId} does not exist`);
      const current = JSON.parse(row.attributes) as Record<string, unknown>;
      // A receipt already there means this step's change was applied before a crash or retry.
      if (insertReceipt.run(key, isoText(deps.clock.now())).changes === 0) return current;
      const next = change(current);
      writeAttributes.run(JSON.stringify(next), isoText(deps.clock.now()), customerId);
      return next;
    },
  );

  return {
    customers: {
      async updateTags({ customerId, add, remove, source }) {
        writeTags(customerId, add, remove, source);
      },
      async updateAttributesOnce({ customerId, idempotencyKey, change }) {
        return updateAttributesOnce(customerId, idempotencyKey, change);
      },
    },
    staffTasks: {
      async create(task) {
        const now = isoText(deps.clock.now());
        const info = insertTask.run(
          task.id,
          Number(task.instanceId),
          task.nodeId,
          task.customerId,
          task.assignee,
          task.title,
          task.body,
          isoText(task.dueAt.getTime()),
          now,
        );
        if (info.changes > 0) deps.logger.info({ taskId: task.id, assignee: task.assignee }, 'staff task created');
        return { created: info.changes > 0 };
      },
    },
    credentials: deps.credentials ?? createCredentialStore(deps.db).reader,
    effects: createEffectCalls(createExtensionStorage(deps.db, effectNamespace('core'), deps.clock), () =>
      deps.clock.now(),
    ),
    webhooks: {
      secret: (name) => env[webhookSecretVariable(name)] || undefined,
      fetch: deps.fetch,
    },
  };
}
