import { ApiError } from '../api-error.ts';
import { ZodError, z } from 'zod';
import { type AuditAction, recordAudit } from '../../audit/record.ts';
import { CredentialInputError, createCredentialStore, credentialTypesOf } from '../../credentials/store.ts';
import { toCredentialTypeInfo } from '../../credentials/type-info.ts';
import type { Context } from '../context.ts';
import { adminProcedure, router, viewerProcedure } from '../trpc.ts';

// Credentials (accounts with third parties that nodes use): admins create, change and delete
// them; anyone signed in lists them (names, types, non-secret fields) so operators can pick one
// in a node. Secret fields are never answered, only `{ set: true | false }`.

const CredentialId = z.string().regex(/^cred_[A-Za-z0-9-]{1,64}$/, 'not a credential id');
const Name = z.string().trim().min(1, '请填写名称 / name is required').max(100);
/** Field values as a form sends them; the credential type's schema checks them. */
const Fields = z.record(z.string().max(100), z.unknown()).refine((v) => Object.keys(v).length <= 50, 'too many fields');

const storeOf = (ctx: Context) => ctx.credentials ?? createCredentialStore(ctx.db);

/** Who changes a credential and when: the store stamps the row with both. */
const changedBy = (ctx: { operator: { username: string }; clock: Context['clock'] }) => ({
  by: ctx.operator.username,
  now: new Date(ctx.clock.now()),
});

/** An audit entry about one credential; `details` names things, never a secret value. */
const auditCredential = (
  ctx: Parameters<typeof recordAudit>[0],
  action: Extract<AuditAction, `credential.${string}`>,
  id: string,
  details: Record<string, string>,
) => recordAudit(ctx, action, { type: 'credential', id }, details);

/** The store's input errors as tRPC errors with the field named (issues) and a code. */
async function answering<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CredentialInputError) {
      const answer = new ApiError(
        error.code === 'notFound' ? 'NOT_FOUND' : error.code === 'inUse' ? 'CONFLICT' : 'BAD_REQUEST',
        error.detail,
        // A ZodError cause: the error formatter lists the issues with the field each names.
        new ZodError(
          error.issues.map((i) => ({ code: 'custom' as const, path: [i.path], message: i.message, input: undefined })),
        ),
      );
      // The plain message names the fields too (the editor shows them by the issues).
      answer.message = error.message;
      throw answer;
    }
    throw error;
  }
}

export const credentialsRouter = router({
  /** Credential types the installed node packages declare, with the JSON Schema of their form. */
  types: viewerProcedure.query(({ ctx }) => [...credentialTypesOf(ctx.registry).values()].map(toCredentialTypeInfo)),

  list: viewerProcedure
    .input(z.object({ type: z.string().max(100).optional() }).optional())
    .query(({ ctx, input }) => storeOf(ctx).list(ctx.registry, { type: input?.type })),

  create: adminProcedure
    .input(z.object({ type: z.string().min(1).max(100), name: Name, fields: Fields }))
    .mutation(async ({ ctx, input }) => {
      const created = await answering(storeOf(ctx).create(ctx.registry, input, changedBy(ctx)));
      await auditCredential(ctx, 'credential.create', created.id, { kind: created.type, name: created.name });
      return created;
    }),

  /** Secret fields left out (or sent back as `{ set: true }`) keep their stored value. */
  update: adminProcedure
    .input(z.object({ id: CredentialId, name: Name.optional(), fields: Fields.optional() }))
    .mutation(async ({ ctx, input }) => {
      const { credential, changedFields } = await answering(storeOf(ctx).update(ctx.registry, input, changedBy(ctx)));
      // Field names only: which fields changed, never their values.
      await auditCredential(ctx, 'credential.update', credential.id, {
        name: credential.name,
        changed: changedFields.join(','),
      });
      return credential;
    }),

  delete: adminProcedure.input(z.object({ id: CredentialId })).mutation(async ({ ctx, input }) => {
    const deleted = await answering(storeOf(ctx).delete(input.id));
    await auditCredential(ctx, 'credential.delete', deleted.id, { kind: deleted.type, name: deleted.name });
    return { ok: true };
  }),
});
