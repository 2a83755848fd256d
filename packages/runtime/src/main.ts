// `pnpm start`: the product on its embedded default (SQLite file, sandbox providers, examples).
// SIYU_ROLE splits it into web and worker processes (docs/deploy.md); `all`, the default, is both.

import { assembleServer } from './assembly/assemble.ts';
import { discoverRuntimeNodePackages, runtimeNodes } from './assembly/default-nodes.ts';
import { EngineLockError } from './assembly/engine-lock.ts';
import { openForRole } from './assembly/open-for-role.ts';
import { rolePlan } from './assembly/roles.ts';
import { gracefulShutdown } from './assembly/shutdown.ts';
import { ensureFirstAdmin } from './auth/bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseStartupError } from './db/database.ts';
import { systemClock } from './engine/api.ts';
import { heapCap } from './heap-cap.ts';
import { createApp } from './http/app.ts';
import { createOpsApp } from './http/ops-app.ts';
import { loadExamples } from './journeys/examples.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics/registry.ts';
import { keepStaffDirectoryFresh, staffUserIdsIn } from './node-packages/wecom-staff-directory.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const role = rolePlan(config.SIYU_ROLE);
  const { db, engineLock, rateLimitStore, where } = await openForRole(config, role, logger);
  const heap = heapCap(config.SIYU_HEAP_MB);
  logger.info({ database: where, role: config.SIYU_ROLE, heapLimitMb: heap.limitMb }, 'database ready');
  if (!heap.asConfigured) {
    logger.warn(
      { heapLimitMb: heap.limitMb, SIYU_HEAP_MB: config.SIYU_HEAP_MB },
      'the JS heap is not capped at SIYU_HEAP_MB: start the server with its start scripts (pnpm start), which pass --max-old-space-size',
    );
  }
  const localUrl = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
  const metrics = createMetrics({ role: config.SIYU_ROLE });
  const { deps, engine, serverPackages } = assembleServer({
    db,
    nodesFor: runtimeNodes(logger, await discoverRuntimeNodePackages(logger)),
    clock: systemClock,
    logger,
    publicUrl: config.PUBLIC_URL ?? localUrl,
    metrics,
    providerRateLimits: { limits: config.PROVIDER_RATE_LIMITS, store: rateLimitStore },
    effectLeaseMs: config.EFFECT_LEASE_MS,
    outboxRetentionDays: config.OUTBOX_RETENTION_DAYS,
  });
  let stopping = false;
  let stopStaffRefresh = () => {};
  const ops = {
    metrics,
    metricsToken: config.METRICS_TOKEN,
    runsEngine: role.runsEngine,
    readyMaxLagMs: config.READY_MAX_LAG_MS,
    stopping: () => stopping,
    steps: () => engine.steps,
  };

  if (role.servesWeb) await announceFirstAdmin(db, config.ADMIN_PASSWORD);
  const staffDirectory = deps.wecomAdmin?.staff;
  const app = role.servesWeb
    ? createApp({
        db,
        editorDist: config.EDITOR_DIST,
        api: deps,
        serverPackages,
        logger,
        trustProxy: config.TRUST_PROXY,
        publicRateLimits: {
          linksPerMinute: config.RATE_LIMIT_LINKS_PER_MINUTE,
          webhooksPerMinute: config.RATE_LIMIT_WEBHOOKS_PER_MINUTE,
        },
        ops,
        // A contact added to a staff member the directory does not know yet: name them now.
        onWebhookEvents: staffDirectory && ((events) => staffDirectory.noticeUserIds(staffUserIdsIn(events))),
      })
    : createOpsApp({ sql: db.sql, ops: { ...ops, now: systemClock.now }, logger });
  // Listen first, then load examples and start the engine: work that came due while the process was
  // down (thousands of effects after a restart) must not keep the port closed, or provider
  // callbacks (WeCom, SMS receipts) time out and are retried or lost.
  const server = app.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    if (!config.PUBLIC_URL) deps.publicUrl = localUrl.replace(/:\d+$/, `:${port}`);
    const where = role.servesWeb ? `${deps.publicUrl}/` : `${localUrl.replace(/:\d+$/, `:${port}`)}/health`;
    process.stdout.write(`\n  私域旅程 Siyu Journeys (${config.SIYU_ROLE}) is running: ${where}\n\n`);
    startBackground().catch(failStartup);
  });
  async function startBackground(): Promise<void> {
    if (role.servesWeb && config.LOAD_EXAMPLES) {
      const report = await loadExamples(db, deps.registry, config.EXAMPLES_DIR);
      if (report.loaded.length) logger.info({ examples: report.loaded }, 'example journeys loaded');
      for (const problem of report.errors) logger.warn(problem, 'example journey not loaded cleanly');
    }
    if (role.runsEngine && !stopping) engine.start();
    if (role.servesWeb && deps.wecomAdmin && !stopping)
      stopStaffRefresh = keepStaffDirectoryFresh(deps.wecomAdmin.staff, logger);
  }
  const shutdown = gracefulShutdown({
    server,
    // Stopped on every role: a web process steps instances inline (webhooks, enrolments).
    engine,
    release: () => engineLock?.release(),
    db,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    logger,
    onStopping: () => {
      stopping = true;
      stopStaffRefresh();
    },
  });
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function announceFirstAdmin(db: Parameters<typeof ensureFirstAdmin>[0], password: string | undefined) {
  const admin = await ensureFirstAdmin(db, password);
  if (admin?.generated) {
    process.stdout.write(
      `\n  首个管理员已创建 First admin created — username: ${admin.username}  password: ${admin.password}\n  （只显示这一次 shown only once; set ADMIN_PASSWORD to choose it）\n`,
    );
  } else if (admin) {
    process.stdout.write(`\n  首个管理员已创建 First admin "${admin.username}" created with ADMIN_PASSWORD\n`);
  }
}

function failStartup(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DatabaseStartupError || error instanceof EngineLockError) {
    process.stderr.write(`start-up failed: ${error.message}\n`);
  } else {
    process.stderr.write(
      `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}

main().catch(failStartup);
