// `pnpm start`: the product on its embedded default (SQLite file, sandbox providers, examples).
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseStartupError, openDatabase } from './db/database.ts';
import { createLogger } from './logger.ts';
import { createApp } from './server/app.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config.DATABASE_PATH);
  logger.info({ database: db.path }, 'database ready');
  const app = createApp({ db, editorDist: config.EDITOR_DIST });
  const server = app.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}/`;
    process.stdout.write(`\n  私域旅程 Siyu Journeys is running: ${url}\n\n`);
  });
  const shutdown = () => {
    server.close();
    void db.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseStartupError) {
    process.stderr.write(`start-up failed: ${error.message}\n`);
  } else {
    process.stderr.write(
      `start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
