import type { Principal } from '../auth/principal.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';

/** Every action the audit log records; the editor labels each code in zh/en. */
export const AUDIT_ACTIONS = [
  'journey.publish',
  'journey.pause',
  'journey.resume',
  'journey.archive',
  'journey.restore',
  'journey.stop',
  'journey.rollback',
  'journey.settings',
  'journey.migrateInstances',
  'run.retryStep',
  'customers.import',
  'customers.importUndo',
  'customer.erase',
  'customer.optOut',
  'customer.optIn',
  'operator.create',
  'operator.update',
  'apiKey.create',
  'apiKey.revoke',
  'coupons.createStock',
  'smsTemplates.register',
  'wecom.createLiveCode',
  'wecom.handover',
  'credential.create',
  'credential.update',
  'credential.delete',
  'callbacks.rotateToken',
  'tags.rename',
  'tags.merge',
  'tags.delete',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditTarget {
  /** journey, operator, apiKey, importBatch, couponStock, customer, wecomUser… */
  type: string;
  id?: string | null;
}

/**
 * Keys never stored, at any depth, whatever a caller passes: passwords, API key values, tokens,
 * secrets and private keys. Callers pass only what the entry needs; this is the safety net.
 */
const SECRET_KEY = /pass(word)?|secret|token|^key$|keyhash|apikey|private|credential|hash$/i;
const MAX_STRING = 500;

export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…';
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactSecrets(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        // A yes/no such as `passwordChanged: true` says that, not what: it stays.
        .filter(([k, v]) => v !== undefined && (typeof v === 'boolean' || !SECRET_KEY.test(k)))
        .map(([k, v]) => [k, redactSecrets(v, depth + 1)]),
    );
  }
  return value;
}

/**
 * Records who did what to what, from the procedure that did it. The actor is the signed-in
 * operator or the API key that called; `details` is a small summary, stored without secrets.
 */
export async function recordAudit(
  ctx: { db: AppDatabase; clock: Clock; principal: Principal | null },
  action: AuditAction,
  target: AuditTarget,
  details: Record<string, unknown> = {},
): Promise<void> {
  const p = ctx.principal;
  if (!p) throw new Error(`audit ${action}: no principal (only signed-in procedures are audited)`);
  await ctx.db.prisma.auditEntry.create({
    data: {
      at: new Date(ctx.clock.now()),
      actorKind: p.kind,
      actorId: p.id,
      actorName: p.kind === 'operator' ? p.username : p.name,
      action,
      targetType: target.type,
      targetId: target.id ?? null,
      summary: JSON.stringify(redactSecrets(details)),
    },
  });
}

/**
 * `promise.then(thenAudit(ctx, action, target))`: records once the change succeeded and passes
 * its result on, so a procedure gains its audit entry without changing shape.
 */
export function thenAudit(
  ctx: Parameters<typeof recordAudit>[0],
  action: AuditAction,
  target: AuditTarget,
  details: Record<string, unknown> = {},
) {
  return async <T>(result: T): Promise<T> => {
    await recordAudit(ctx, action, target, details);
    return result;
  };
}
