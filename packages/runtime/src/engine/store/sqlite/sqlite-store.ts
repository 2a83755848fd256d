import type BetterSqlite3 from 'better-sqlite3';
import { createLogger, type Logger } from '../../../logger.ts';
import type { EngineStore } from '../port.ts';
import { sqliteCustomerUpdates } from './customer-updates.ts';
import { sqliteEventRecords } from './event-records.ts';
import { sqliteLoader } from './loader.ts';
import { sqliteOutboxWriter } from './outbox-writer.ts';
import { sqliteRetry } from './retry-statements.ts';
import { sqliteSideStatements } from './side-statements.ts';
import { prepareStatements, type Statements } from './statements.ts';
import { sqliteWriter } from './writer.ts';

/** The SQLite adapter, plus its prepared statements for the parts not yet behind the port. */
export interface SqliteEngineStore extends EngineStore {
  readonly statements: Statements;
}

/**
 * The engine's store on SQLite: better-sqlite3 prepared statements run synchronously inside one
 * transaction per batch, where a batch of thousands of steps costs one commit.
 */
export function createSqliteStore(
  db: BetterSqlite3.Database,
  logger: Logger = createLogger('silent'),
): SqliteEngineStore {
  const statements = prepareStatements(db);
  return {
    statements,
    ...sqliteLoader(db, statements),
    ...sqliteWriter(db, statements),
    ...sqliteOutboxWriter(statements),
    ...sqliteEventRecords(db, logger),
    ...sqliteRetry(db, statements),
    ...sqliteSideStatements(db),
    ...sqliteCustomerUpdates(db),
  };
}
