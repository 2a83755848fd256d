// What the core server half needs from its host (the runtime implements it over its database in
// packages/runtime/src/node-packages/core-services.ts). This package never imports the runtime.
import type { CredentialReader, EffectCalls } from '@siyu/shared';

export interface NewStaffTask {
  /** The step's idempotency key: creating the same task twice is a no-op. */
  id: string;
  instanceId: string;
  nodeId: string;
  customerId: string;
  /** WeCom userid of the staff member; '' when nobody owns the customer (shown to admins). */
  assignee: string;
  title: string;
  body: string;
  dueAt: Date;
}

export interface CoreServerDeps {
  customers: {
    /** Adds and removes tags (set semantics, so a retry changes nothing). */
    updateTags(input: { customerId: string; add: string[]; remove: string[]; source: string }): Promise<void>;
    /**
     * Applies `change` to the customer's attributes once per idempotency key, in one transaction
     * with a receipt: a retried increment does not count twice. Returns the attributes after.
     */
    updateAttributesOnce(input: {
      customerId: string;
      idempotencyKey: string;
      change: (current: Record<string, unknown>) => Record<string, unknown>;
    }): Promise<Record<string, unknown>>;
  };
  staffTasks: {
    /** Inserts the task unless one with this id exists; returns whether it was new. */
    create(task: NewStaffTask): Promise<{ created: boolean }>;
  };
  /** Stored credentials (decrypted on read), for nodes whose config names one. */
  credentials: CredentialReader;
  /**
   * Claim → call → mark for network calls (the webhook): a step that already got its answer does
   * not call again after a crash or a replay. The runtime keeps these in the "effects:core" namespace.
   */
  effects: EffectCalls;
  webhooks: {
    /** The signing secret for a name (WEBHOOK_SECRET_<NAME> / WEBHOOK_SECRET), if configured. */
    secret(name: string): string | undefined;
    /** Injected for tests; defaults to the global fetch. */
    fetch?: typeof fetch;
  };
}
