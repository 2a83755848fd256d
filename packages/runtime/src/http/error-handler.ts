import type express from 'express';
import type { Logger } from '../logger.ts';
import { requestIdOf } from './request-id.ts';

/** Codes for the errors express and body-parser raise (their `type` field) that are the caller's doing. */
const CLIENT_ERRORS: Record<string, { code: string; message: string }> = {
  'entity.parse.failed': { code: 'BAD_JSON', message: '请求体不是有效的 JSON request body is not valid JSON' },
  'entity.too.large': { code: 'PAYLOAD_TOO_LARGE', message: '请求体过大 request body too large' },
  'encoding.unsupported': { code: 'UNSUPPORTED_ENCODING', message: '不支持的请求编码 unsupported content encoding' },
  'charset.unsupported': { code: 'UNSUPPORTED_CHARSET', message: '不支持的字符集 unsupported charset' },
  // Ours (trpc-body-limit.ts): a UTF-8 body with bytes that are not UTF-8.
  'encoding.invalid': { code: 'BAD_ENCODING', message: '请求体不是有效的 UTF-8 request body is not valid UTF-8' },
  'request.aborted': { code: 'REQUEST_ABORTED', message: '请求被中断 request aborted' },
  'request.size.invalid': { code: 'BAD_REQUEST', message: '请求长度不符 request size mismatch' },
};

/**
 * After every route: what nothing answered (an unknown webhook, a POST to the editor's paths) gets
 * the same JSON shape as other errors, with the request id, instead of express's HTML page.
 */
export function notFound(): express.RequestHandler {
  return (req, res) => {
    res.status(404).json({
      error: {
        code: 'NOT_FOUND',
        message: `没有这个地址 no such endpoint: ${req.method} ${req.path}`,
        requestId: requestIdOf(res),
      },
    });
  };
}

/**
 * The app's last middleware. Express's default handler answers with the stack trace (and so the
 * server's file paths) whenever NODE_ENV is not "production"; this one answers JSON naming the
 * problem and the request id, and logs the details under that id.
 */
export function errorHandler(logger?: Logger): express.ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const requestId = requestIdOf(res);
    const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown };
    const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
    const known = typeof e.type === 'string' ? CLIENT_ERRORS[e.type] : undefined;
    if (status >= 400 && status < 500) {
      logger?.warn({ requestId, path: req.path, err }, 'request rejected');
      res.status(status).json({
        error: {
          code: known?.code ?? 'BAD_REQUEST',
          message: known?.message ?? '请求无效 bad request',
          requestId,
        },
      });
      return;
    }
    logger?.error({ requestId, path: req.path, err }, 'request failed');
    res.status(500).json({
      error: {
        code: 'INTERNAL_SERVER_ERROR',
        message: `服务器内部错误 internal error (request ${requestId})`,
        requestId,
      },
    });
  };
}
