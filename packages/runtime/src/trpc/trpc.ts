import { formatPath, MAX_JSON_DEPTH, nestsDeeperThan } from '@siyu/shared';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { retryAfterOf } from '../auth/login-throttle.ts';
import type { ApiScope, Role } from '../auth/roles.ts';
import { roleAllows } from '../auth/roles.ts';
import type { Context } from './context.ts';
import { callerErrorFromPrisma } from './prisma-errors.ts';

/**
 * The only base procedures. Every procedure is built from one of these, so authentication and
 * roles are enforced in one place: `viewerProcedure` reads, `operatorProcedure` changes journeys
 * and customers, `adminProcedure` manages operators and keys, `ingestProcedure(scope)` also
 * accepts an API key with that scope (keys never read customer data).
 */
/** Procedure metadata: `largeBody` lets a file upload past the small request-body limit (http/trpc-body-limit.ts). */
export interface ProcedureMeta {
  largeBody?: boolean;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Responses never carry stacks or file paths (tRPC adds the stack outside production): an
    // internal error says only its request id, and the details are logged under that id.
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const issues =
        cause instanceof ZodError
          ? cause.issues.map((i) => ({ path: formatPath(i.path), message: i.message }))
          : undefined;
      const requestId = ctx?.requestId;
      const { stack: _stack, ...data } = shape.data;
      const message =
        error.code === 'INTERNAL_SERVER_ERROR'
          ? `服务器内部错误 internal error${requestId ? ` (request ${requestId})` : ''}`
          : shape.message;
      return { ...shape, message, data: { ...data, issues, requestId, retryAfterSeconds: retryAfterOf(error.cause) } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/**
 * The engine throws EngineInputError for bad input (unknown customer, no such entry node), the
 * import ImportFileError for a file it cannot read (damaged, too large, wrong encoding): that is
 * the caller's mistake, so it is answered as BAD_REQUEST, not as a server error.
 */
const CALLER_ERRORS = new Set(['EngineInputError', 'ImportFileError']);
const engineErrors = t.middleware(async ({ next }) => {
  const result = await next();
  const cause = result.ok ? undefined : result.error.cause;
  if (!cause) return result;
  if (CALLER_ERRORS.has(cause.name)) throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  const prisma = callerErrorFromPrisma(cause);
  if (prisma) throw prisma;
  return result;
});

/**
 * Every input, before any schema sees it: nesting past MAX_INPUT_DEPTH is refused, since zod and
 * JSON.stringify recurse and a crafted input 100,000 levels deep would overflow the stack (a 500).
 * Twice the limit on event data, so a batch of events (two levels more) meets that limit first.
 */
const MAX_INPUT_DEPTH = 2 * MAX_JSON_DEPTH;
const inputDepth = t.middleware(async ({ getRawInput, next }) => {
  let raw: unknown;
  try {
    raw = await getRawInput();
  } catch {
    // Unparseable input: a procedure without input ignores it, one with input rejects it itself.
    return next();
  }
  if (nestsDeeperThan(raw, MAX_INPUT_DEPTH)) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `输入嵌套超过 ${MAX_INPUT_DEPTH} 层 input nests deeper than ${MAX_INPUT_DEPTH} levels`,
    });
  }
  return next();
});

export const publicProcedure = t.procedure.use(engineErrors).use(inputDepth);

function requireRole(role: Role) {
  return t.middleware(({ ctx, next }) => {
    const p = ctx.principal;
    if (!p) throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录 Please sign in' });
    if (p.kind !== 'operator') {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'API 密钥不能调用此接口 API keys cannot call this procedure' });
    }
    if (!roleAllows(p.role, role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `需要 ${role} 角色 Needs the ${role} role` });
    }
    return next({ ctx: { ...ctx, operator: p } });
  });
}

export const viewerProcedure = publicProcedure.use(requireRole('viewer'));
export const operatorProcedure = publicProcedure.use(requireRole('operator'));
export const adminProcedure = publicProcedure.use(requireRole('admin'));

/** For ingestion: an operator with the operator role, or an API key holding `scope`. */
export function ingestProcedure(scope: ApiScope) {
  return publicProcedure.use(({ ctx, next }) => {
    const p = ctx.principal;
    if (!p)
      throw new TRPCError({ code: 'UNAUTHORIZED', message: '请先登录或提供 API 密钥 Sign in or send an API key' });
    if (p.kind === 'apiKey' && !p.scopes.includes(scope)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `API 密钥缺少权限 ${scope} Key lacks scope ${scope}` });
    }
    if (p.kind === 'operator' && !roleAllows(p.role, 'operator')) {
      throw new TRPCError({ code: 'FORBIDDEN', message: '需要 operator 角色 Needs the operator role' });
    }
    return next({ ctx: { ...ctx, actor: p.kind === 'operator' ? p.username : `key:${p.name}` } });
  });
}

export function notFound(what: string, id: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} ${id} 不存在 not found` });
}
