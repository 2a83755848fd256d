// Operator actions on WeCom that are not journey steps: live codes (联系我) for entry codes,
// customer handover (在职/离职继承) when staff move or leave, and the staff directory's names. With no WeCom app configured (the
// sandbox default) they act on our own records only, so the product works end to end offline.
import { randomUUID } from 'node:crypto';
import { type WecomAppConfig, WecomClient } from '@siyu/nodes-wecom/server';
import { type ApiErrorDetail, apiErrorDetail, apiErrorText } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';
import { createStaffDirectory, type StaffDirectory } from './wecom-staff-directory.ts';

export class WecomAdminError extends Error {
  constructor(
    readonly detail: ApiErrorDetail,
    readonly code: 'NOT_FOUND' | 'BAD_REQUEST' | 'PRECONDITION_FAILED',
  ) {
    super(apiErrorText(detail)?.en ?? detail.key);
    this.name = 'WecomAdminError';
  }
}

export interface WecomAdmin {
  mode: 'wecom' | 'sandbox';
  staff: StaffDirectory;
  createLiveCode(input: {
    code: string;
    userIds: string[];
    skipVerify: boolean;
    remark?: string;
  }): Promise<{ configId: string; qrCodeUrl: string }>;
  handover(input: {
    fromUserId: string;
    toUserId: string;
    resigned: boolean;
    externalUserIds?: string[];
    message?: string;
  }): Promise<{ moved: number; failed: Array<{ externalUserId: string; errcode: number }> }>;
}

export function createWecomAdmin(deps: {
  db: Pick<AppDatabase, 'sql' | 'prisma'>;
  clock: Clock;
  publicUrl: () => string;
  /** The WeCom app, or null for the sandbox. */
  wecom: WecomAppConfig | null;
  fetch?: typeof fetch;
}): WecomAdmin {
  const client = deps.wecom ? new WecomClient(deps.wecom, { fetch: deps.fetch, now: () => deps.clock.now() }) : null;
  const { sql } = deps.db;

  return {
    mode: client ? 'wecom' : 'sandbox',
    staff: createStaffDirectory({ db: deps.db, clock: deps.clock, client }),
    async createLiveCode(input) {
      const entry = await deps.db.prisma.entryCode.findUnique({ where: { code: input.code } });
      if (!entry)
        throw new WecomAdminError(
          apiErrorDetail('common.notFound', { what: 'entryCode', id: input.code }),
          'NOT_FOUND',
        );
      // The entry code travels as the live code's `state`, which WeCom returns on every contact added.
      const made = client
        ? await client.addContactWay({
            users: input.userIds,
            state: input.code,
            skipVerify: input.skipVerify,
            remark: input.remark,
          })
        : { configId: `sandbox_${randomUUID()}`, qrCode: `${deps.publicUrl()}/r/${encodeURIComponent(input.code)}` };
      const qrCodeUrl = made.qrCode ?? '';
      await deps.db.prisma.entryCode.update({
        where: { code: input.code },
        data: { wecomConfigId: made.configId, qrCodeUrl },
      });
      return { configId: made.configId, qrCodeUrl };
    },
    async handover(input) {
      if (input.fromUserId === input.toUserId) {
        throw new WecomAdminError(apiErrorDetail('wecom.sameStaff'), 'BAD_REQUEST');
      }
      const owned = await sql.all<{ customerId: string; externalUserId: string }>(
        `SELECT c.id AS customerId, i.value AS externalUserId FROM Customer c
         JOIN CustomerIdentity i ON i.customerId = c.id AND i.kind = 'wecomExternalUserId'
         WHERE c.ownerUserId = ?`,
        [input.fromUserId],
      );
      const wanted = input.externalUserIds ? new Set(input.externalUserIds) : undefined;
      const targets = owned.filter((o) => !wanted || wanted.has(o.externalUserId)).map((o) => o.externalUserId);
      const unknown = input.externalUserIds?.filter((id) => !owned.some((o) => o.externalUserId === id)) ?? [];
      if (unknown.length > 0) {
        throw new WecomAdminError(
          apiErrorDetail('wecom.notOwned', { from: input.fromUserId, customers: unknown.slice(0, 5).join(', ') }),
          'BAD_REQUEST',
        );
      }
      const results = client
        ? await client.transferCustomers({
            handoverUserId: input.fromUserId,
            takeoverUserId: input.toUserId,
            externalUserIds: targets,
            resigned: input.resigned,
            transferSuccessMsg: input.message,
          })
        : targets.map((externalUserId) => ({ externalUserId, errcode: 0 }));
      // WeCom moves each customer on its own; record the new owner for those it accepted.
      const moved = results.filter((r) => r.errcode === 0);
      await sql.transaction(async (tx) => {
        for (const r of moved) {
          await tx.run(
            `UPDATE Customer SET ownerUserId = ? WHERE ownerUserId = ? AND id IN
               (SELECT customerId FROM CustomerIdentity WHERE kind = 'wecomExternalUserId' AND value = ?)`,
            [input.toUserId, input.fromUserId, r.externalUserId],
          );
        }
      });
      return { moved: moved.length, failed: results.filter((r) => r.errcode !== 0) };
    },
  };
}
