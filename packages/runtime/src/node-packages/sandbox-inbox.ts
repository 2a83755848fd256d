// deps.sandboxInbox for discovered packages: what a third-party node would have sent, stored as a
// Message row with provider 'sandbox' — the rows the built-in sandbox providers write — so the
// sandbox inbox, a simulation's message list, send-node monitoring and customer erasure treat it
// like an SMS the sandbox "sent", with no new reader anywhere.
import type { SandboxInbox, SandboxMessage, SandboxStep } from '@siyu/shared';
import { formatPath, PermanentError } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';

/** A channel's name: the built-in ones (sms, wecom, coupon) or a package's (its name by default). */
export const SandboxChannelSchema = z
  .string()
  .regex(/^[a-z][a-z0-9.-]{1,39}$/, { message: 'must be 2–40 lower-case letters, digits, "." or "-"' });

const SandboxMessageSchema = z.object({
  to: z.string().min(1).max(200),
  content: z.string().min(1).max(2000),
  channel: SandboxChannelSchema.optional(),
  part: z.string().min(1).max(50).optional(),
});

/** Permanent: the node's code built a bad message; trying the step again cannot fix it. */
export class SandboxInboxError extends PermanentError {
  constructor(packageName: string, message: string) {
    super(`sandbox message of package "${packageName}": ${message}`, { code: 'sandboxMessageInvalid' });
    this.name = 'SandboxInboxError';
  }
}

export function createSandboxInbox(db: Pick<AppDatabase, 'sql'>, packageName: string): SandboxInbox {
  // Keyed by the step (and part): a retried or replayed step records nothing twice.
  const insert = `INSERT INTO Message (idempotencyKey, customerId, channel, provider, kind, recipient, content, status,
       journeyId, nodeId, sentAt)
     VALUES (?, ?, ?, 'sandbox', 'notice', ?, ?, 'sent', ?, ?, ?)
     ON CONFLICT (idempotencyKey) DO NOTHING`;
  return {
    async record(step: SandboxStep, message: SandboxMessage) {
      const parsed = SandboxMessageSchema.safeParse(message);
      if (!parsed.success) {
        throw new SandboxInboxError(
          packageName,
          parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; '),
        );
      }
      const { to, content, channel, part } = parsed.data;
      await db.sql.run(insert, [
        part ? `${step.idempotencyKey}#${part}` : step.idempotencyKey,
        step.customer.id,
        channel ?? packageName,
        to,
        content,
        step.journey.id,
        step.nodeId,
        step.now.getTime(),
      ]);
    },
  };
}
