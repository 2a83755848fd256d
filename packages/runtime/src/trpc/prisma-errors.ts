import { TRPCError } from '@trpc/server';

/**
 * Prisma's errors that mean the caller named something that is not there (P2025: update/delete of
 * a missing row; P2003: a reference to a missing row) or that already exists (P2002: unique
 * constraint). Procedures that `update({ where: { id } })` without looking first would otherwise
 * answer an unknown id with a 500. Prisma's own message names source files, so it is not passed on.
 */
export function callerErrorFromPrisma(cause: unknown): TRPCError | undefined {
  if (!cause || typeof cause !== 'object' || (cause as { name?: unknown }).name !== 'PrismaClientKnownRequestError')
    return undefined;
  const { code, meta } = cause as { code?: string; meta?: { modelName?: string } };
  const what = meta?.modelName ?? 'record';
  if (code === 'P2025') return new TRPCError({ code: 'NOT_FOUND', message: `${what} 不存在 not found`, cause });
  if (code === 'P2003')
    return new TRPCError({ code: 'BAD_REQUEST', message: `引用的记录不存在 ${what} refers to a missing row`, cause });
  if (code === 'P2002') return new TRPCError({ code: 'CONFLICT', message: `${what} 已存在 already exists`, cause });
  return undefined;
}
