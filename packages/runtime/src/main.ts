// `pnpm start`: the product on its embedded default (SQLite file, sandbox providers, examples).

import { assembleServer } from './assembly/assemble.ts';
import { discoverRuntimeNodePackages, runtimeNodes } from './assembly/default-nodes.ts';
import { ensureFirstAdmin } from './auth/bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { credentialKeysFor } from './credentials/keys.ts';
import { DatabaseStartupError, openDatabase } from './db/database.ts';
import { systemClock } from './engine/api.ts';
import { createApp } from './http/app.ts';
import { loadExamples } from './journeys/examples.ts';
import { createLogger } from './logger.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.DATABASE_URL) {
    // The PostgreSQL storage (issue 15) is being built: refuse rather than quietly use SQLite.
    throw new ConfigError([
      'DATABASE_URL=(hidden): PostgreSQL is not supported by this build yet; unset it to use DATABASE_PATH',
    ]);
  }
  const db = await openDatabase(config.DATABASE_PATH, { logger });
  logger.info({ database: db.path }, 'database ready');
  // Resolve the credentials key now: a generated one is announced once, where it was written.
  credentialKeysFor(db.path, process.env, (path) =>
    logger.warn(
      { path },
      'CREDENTIALS_KEY is not set: generated a credentials key file (back it up with the database; set CREDENTIALS_KEY in production)',
    ),
  );
  const localUrl = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
  const { deps, engine, serverPackages } = assembleServer({
    db,
    nodesFor: runtimeNodes(logger, await discoverRuntimeNodePackages(logger)),
    clock: systemClock,
    logger,
    publicUrl: config.PUBLIC_URL ?? localUrl,
  });

  const admin = await ensureFirstAdmin(db, config.ADMIN_PASSWORD);
  if (admin?.generated) {
    process.stdout.write(
      `\n  首个管理员已创建 First admin created — username: ${admin.username}  password: ${admin.password}\n  （只显示这一次 shown only once; set ADMIN_PASSWORD to choose it）\n`,
    );
  } else if (admin) {
    process.stdout.write(`\n  首个管理员已创建 First admin "${admin.username}" created with ADMIN_PASSWORD\n`);
  }
  const app = createApp({
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
  });
  // Listen first, then load examples and start the engine: work that came due while the process was
  // down (thousands of effects after a restart) must not keep the port closed, or provider
  // callbacks (WeCom, SMS receipts) time out and are retried or lost.
  const server = app.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    if (!config.PUBLIC_URL) deps.publicUrl = localUrl.replace(/:\d+$/, `:${port}`);
    process.stdout.write(`\n  私域旅程 Siyu Journeys is running: ${deps.publicUrl}/\n\n`);
    startBackground().catch(failStartup);
  });
  async function startBackground(): Promise<void> {
    if (config.LOAD_EXAMPLES) {
      const report = await loadExamples(db, deps.registry, config.EXAMPLES_DIR);
      if (report.loaded.length) logger.info({ examples: report.loaded }, 'example journeys loaded');
      for (const problem of report.errors) logger.warn(problem, 'example journey not loaded cleanly');
    }
    if (!stopping) engine.start();
  }
  let stopping = false;
  const shutdown = () => {
    stopping = true;
    server.close();
    void engine
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function failStartup(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DatabaseStartupError) {
    process.stderr.write(`start-up failed: ${error.message}\n`);
  } else {
    process.stderr.write(
      `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}

main().catch(failStartup);
