import { TRPCError } from '@trpc/server';

/**
 * Prisma's errors that mean the caller named something that is not there (P2025: update/delete of
 * a missing row; P2003: a reference to a missing row) or that already exists (P2002: unique
 * constraint). Procedures that `update({ where: { id } })` without looking first would otherwise
 * answer an unknown id with a 500. Prisma's own message names source files, so it is not passed on.
 */
/** The parts of a known request error's `meta` read here (`target` from the engine, the rest from the driver adapter). */
interface PrismaErrorMeta {
  modelName?: string;
  target?: unknown;
  driverAdapterError?: { cause?: { constraint?: { fields?: unknown } } };
}

export function callerErrorFromPrisma(cause: unknown): TRPCError | undefined {
  if (!cause || typeof cause !== 'object' || (cause as { name?: unknown }).name !== 'PrismaClientKnownRequestError')
    return undefined;
  const { code, meta } = cause as { code?: string; meta?: PrismaErrorMeta };
  const what = meta?.modelName ?? 'record';
  if (code === 'P2025') return new TRPCError({ code: 'NOT_FOUND', message: `${what} 不存在 not found`, cause });
  if (code === 'P2003')
    return new TRPCError({ code: 'BAD_REQUEST', message: `引用的记录不存在 ${what} refers to a missing row`, cause });
  if (code === 'P2002') {
    // The field(s) that must be unique, so the caller knows which value to change.
    const fields = meta?.target ?? meta?.driverAdapterError?.cause?.constraint?.fields;
    const which = Array.isArray(fields) && fields.length ? ` (${fields.join(', ')})` : '';
    return new TRPCError({ code: 'CONFLICT', message: `${what}${which} 已存在 already exists`, cause });
  }
  return undefined;
}
