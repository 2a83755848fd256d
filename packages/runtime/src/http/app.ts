import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JourneyEventInput, ServerNodePackage } from '@siyu/shared';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express from 'express';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { Logger } from '../logger.ts';
import { createMetrics } from '../metrics/registry.ts';
import type { ServerDeps } from '../trpc/context.ts';
import { appRouter } from '../trpc/router.ts';
import { customersExportRouter } from './customers-export-route.ts';
import { errorHandler, notFound } from './error-handler.ts';
import { ingestFastPath } from './ingest-fast-path.ts';
import { mountOpsRoutes, type OpsOptions } from './ops-routes.ts';
import { principalFromHeaders } from './principal-from-headers.ts';
import { mountPublicRateLimits, type PublicRateLimits } from './public-rate-limits.ts';
import { redirectRouter } from './redirect.ts';
import { requestId, requestIdOf } from './request-id.ts';
import { requestMetrics } from './request-metrics.ts';
import { securityHeaders } from './security-headers.ts';
import { smallBodyUnlessLarge } from './trpc-body-limit.ts';
import { webhookRouter } from './webhooks.ts';

export interface AppOptions {
  db: AppDatabase;
  editorDist: string;
  /** The API's dependencies; without them only /health, /ready, /metrics and the editor are served. */
  api?: ServerDeps;
  /** Server halves of the node packages, whose webhooks are mounted at /webhooks/<name>/…. */
  serverPackages?: readonly ServerNodePackage[];
  logger?: Logger;
  /** Express `trust proxy` (TRUST_PROXY): behind nginx, req.ip and req.secure come from X-Forwarded-*. */
  trustProxy?: boolean | number | string;
  publicRateLimits?: PublicRateLimits;
  /** /ready and /metrics settings; default: a private registry, loopback-only metrics, 60 s lag. */
  ops?: Omit<OpsOptions, 'now'>;
  /** What each provider callback brought, once ingested (see webhookRouter). */
  onWebhookEvents?: (events: readonly JourneyEventInput[]) => Promise<unknown>;
}

/** Whether `name` is one of the API's procedures (so it may be a metrics label). */
const isProcedure = (name: string) => Object.hasOwn(appRouter._def.procedures, name);

/**
 * The one express app (role all/web): health, readiness and metrics, tRPC at /trpc, provider webhooks, tracked redirects, and the
 * editor's static build with a history-API fallback so deep links like /journeys/123 load the editor.
 */
export function createApp({
  db,
  editorDist,
  api,
  serverPackages = [],
  logger,
  trustProxy,
  publicRateLimits,
  ops = { metrics: createMetrics({ defaults: false }), runsEngine: true, readyMaxLagMs: 60_000 },
  onWebhookEvents,
}: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (trustProxy !== undefined) app.set('trust proxy', trustProxy);
  app.use(requestMetrics(ops.metrics, isProcedure));
  app.use(requestId());
  app.use(securityHeaders());
  mountOpsRoutes(app, db.sql, {
    ...ops,
    now: api ? () => api.clock.now() : undefined,
  });
  if (api) {
    const secure = api.publicUrl.startsWith('https:');
    app.use(
      '/trpc',
      smallBodyUnlessLarge(
        appRouter,
        async (req) => (await principalFromHeaders(api.db, req.headers)).principal !== null,
      ),
    );
    // One event per request, thousands a second: answered without tRPC's request machinery.
    app.use('/trpc', ingestFastPath(api));
    app.use(
      '/trpc',
      createExpressMiddleware({
        router: appRouter,
        maxBodySize: 60 * 1024 * 1024, // customer files arrive base64-encoded; others are cut at 2 MB before
        async createContext({ req, res }) {
          const { principal, sessionToken } = await principalFromHeaders(api.db, req.headers);
          return {
            ...api,
            principal,
            sessionToken,
            requestIp: req.ip,
            setResponseHeader: (name: string, value: string) => res.setHeader(name, value),
            requestId: requestIdOf(res),
            setSessionCookie(token: string, expiresAt: Date) {
              res.cookie(SESSION_COOKIE, token, {
                httpOnly: true,
                sameSite: 'lax',
                secure: secure || req.secure,
                path: '/',
                expires: expiresAt,
              });
            },
            clearSessionCookie() {
              res.clearCookie(SESSION_COOKIE, { path: '/' });
            },
          };
        },
        onError({ error, path, ctx }) {
          if (error.code === 'INTERNAL_SERVER_ERROR')
            logger?.error({ err: error, path, requestId: ctx?.requestId }, 'API error');
        },
      }),
    );
    mountPublicRateLimits(app, publicRateLimits);
    app.use('/webhooks', webhookRouter(serverPackages, api.engine, logger, onWebhookEvents));
    app.use(redirectRouter({ ...api, logger }));
    app.use(customersExportRouter({ ...api, logger }));
  }
  if (existsSync(join(editorDist, 'index.html'))) {
    app.use(express.static(editorDist, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => res.sendFile(join(editorDist, 'index.html')));
  } else {
    app.get('/', (_req, res) =>
      res.type('text/plain').send('Editor not built: run `pnpm --filter @siyu/editor build` (pnpm start does it).'),
    );
  }
  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
}
