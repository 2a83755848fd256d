import type { TRPCError } from '@trpc/server';
import { apiError } from './api-error.ts';

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
  if (code === 'P2025') return apiError('NOT_FOUND', 'record.notFound', { what }, cause);
  if (code === 'P2003') return apiError('BAD_REQUEST', 'record.missingReference', { what }, cause);
  if (code === 'P2002') {
    // The field(s) that must be unique, so the caller knows which value to change.
    const fields = meta?.target ?? meta?.driverAdapterError?.cause?.constraint?.fields;
    const which = Array.isArray(fields) ? fields.join(', ') : '';
    return apiError('CONFLICT', 'record.exists', { what, fields: which }, cause);
  }
  return undefined;
}
