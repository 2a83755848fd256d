import {
  type ApiErrorDetail,
  apiErrorDetail,
  apiErrorText,
  CodedError,
  formatPath,
  type LocalizedText,
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  zodIssueText,
} from '@siyu/shared';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { retryAfterOf } from '../auth/login-throttle.ts';
import type { ApiScope, Role } from '../auth/roles.ts';
import { roleAllows } from '../auth/roles.ts';
import { ApiError, apiError, apiErrorDetailFrom, englishOf } from './api-error.ts';
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
          ? cause.issues.map((i) => ({ path: formatPath(i.path), message: i.message, text: issueText(i) }))
          : undefined;
      const requestId = ctx?.requestId;
      const { stack: _stack, ...data } = shape.data;
      // The code and parameters of the error (the editor words them in the operator's language);
      // the English words stay the plain message for API clients.
      const detail =
        error.code === 'INTERNAL_SERVER_ERROR'
          ? apiErrorDetail('common.internal', { requestId: requestId ?? '' })
          : apiErrorDetailFrom(error);
      const message = error.code === 'INTERNAL_SERVER_ERROR' && detail ? englishOf(detail) : shape.message;
      return {
        ...shape,
        message,
        data: { ...data, error: detail, issues, requestId, retryAfterSeconds: retryAfterOf(error.cause) },
      };
    },
  });

/**
 * An input issue in plain words in both languages (the editor shows the operator's): a coded
 * refusal put on a field (`params.apiError`), else zod's issue worded by `zodIssueText`.
 */
function issueText(issue: ZodError['issues'][number]): LocalizedText {
  const coded =
    issue.code === 'custom' ? (issue.params as { apiError?: ApiErrorDetail } | undefined)?.apiError : undefined;
  return (coded && apiErrorText(coded)) || zodIssueText(issue);
}

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
  if (cause instanceof CodedError) throw new ApiError(cause.status, cause.detail, cause);
  if (CALLER_ERRORS.has(cause.name)) {
    // Coded ones answer in the caller's language (data.error); the message stays their English.
    const detail = (cause as { detail?: ApiErrorDetail }).detail;
    if (detail) throw new ApiError('BAD_REQUEST', detail, cause);
    throw new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });
  }
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
    throw apiError('BAD_REQUEST', 'common.inputTooDeep', { max: MAX_INPUT_DEPTH });
  }
  return next();
});

export const publicProcedure = t.procedure.use(engineErrors).use(inputDepth);

function requireRole(role: Role) {
  return t.middleware(({ ctx, next }) => {
    const p = ctx.principal;
    if (!p) throw apiError('UNAUTHORIZED', 'auth.signInRequired');
    if (p.kind !== 'operator') {
      throw apiError('FORBIDDEN', 'auth.apiKeyNotAllowed');
    }
    if (!roleAllows(p.role, role)) {
      throw apiError('FORBIDDEN', 'auth.roleRequired', { role });
    }
    return next({ ctx: { ...ctx, operator: p } });
  });
}

export const viewerProcedure = publicProcedure.use(requireRole('viewer'));
export const operatorProcedure = publicProcedure.use(requireRole('operator'));
export const adminProcedure = publicProcedure.use(requireRole('admin'));

/**
 * Who may ingest: an operator with the operator role, or an API key holding `scope`. Returns the
 * actor recorded as the events' source, or the error to answer with. Shared by ingestProcedure and
 * the HTTP fast path for `events.ingest` (http/ingest-fast-path.ts).
 */
export function ingestActor(principal: Context['principal'], scope: ApiScope): { actor: string } | { error: ApiError } {
  if (!principal) return { error: apiError('UNAUTHORIZED', 'auth.signInOrKey') };
  if (principal.kind === 'apiKey' && !principal.scopes.includes(scope)) {
    return { error: apiError('FORBIDDEN', 'auth.keyLacksScope', { scope }) };
  }
  if (principal.kind === 'operator' && !roleAllows(principal.role, 'operator')) {
    return { error: apiError('FORBIDDEN', 'auth.roleRequired', { role: 'operator' }) };
  }
  return { actor: principal.kind === 'operator' ? principal.username : `key:${principal.name}` };
}

/** For ingestion: an operator with the operator role, or an API key holding `scope`. */
export function ingestProcedure(scope: ApiScope) {
  return publicProcedure.use(({ ctx, next }) => {
    const allowed = ingestActor(ctx.principal, scope);
    if ('error' in allowed) throw allowed.error;
    return next({ ctx: { ...ctx, actor: allowed.actor } });
  });
}

/** `what` names a thing of API_ERROR_MESSAGES's list (journey, version, channel…). */
export function notFound(what: string, id: string): TRPCError {
  return apiError('NOT_FOUND', 'common.notFound', { what, id });
}
