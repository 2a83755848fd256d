import express from 'express';
import type { Logger } from '../logger.ts';
import { errorHandler, notFound } from './error-handler.ts';
import { mountOpsRoutes, type OpsOptions } from './ops-routes.ts';
import { requestId } from './request-id.ts';
import { requestMetrics } from './request-metrics.ts';
import { securityHeaders } from './security-headers.ts';

/**
 * A worker's port (SIYU_ROLE=worker): /health, /ready and /metrics for the orchestrator and
 * Prometheus, nothing else. No editor, API, webhooks or links: those belong to web processes.
 */
export function createOpsApp(options: {
  sql: Parameters<typeof mountOpsRoutes>[1];
  ops: OpsOptions;
  logger?: Logger;
}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestMetrics(options.ops.metrics));
  app.use(requestId());
  app.use(securityHeaders());
  mountOpsRoutes(app, options.sql, options.ops);
  app.use(notFound());
  app.use(errorHandler(options.logger));
  return app;
}
