import type BetterSqlite3 from 'better-sqlite3';
import { bind } from '../../../db/sqlite-sql.ts';
import type { EngineStore } from '../port.ts';

/**
 * The side statements (isolation, audience runs) on SQLite: prepared once per SQL text and run at
 * once inside the open better-sqlite3 transaction, as the statements they replace were.
 */
export function sqliteSideStatements(
  db: BetterSqlite3.Database,
): Pick<EngineStore, 'batchRead' | 'batchWrite' | 'versionNumber'> {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const batchRead = <T>(sql: string, params: Parameters<EngineStore['batchRead']>[1]) =>
    prepare(sql).all(...bind(params)) as T[];
  return {
    batchRead,
    batchWrite(sql, params) {
      prepare(sql).run(...bind(params));
    },
    versionNumber: (versionId) =>
      batchRead<{ version: number }>('SELECT version FROM JourneyVersion WHERE id = ?', [versionId])[0]?.version,
  };
}
