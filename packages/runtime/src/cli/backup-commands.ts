import { BackupError, backupDatabase, type DatabaseInfo, restoreDatabase } from '../db/backup.ts';
import type { Io } from './commands.ts';
import { EXIT } from './exit-codes.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rows = (info: DatabaseInfo) => Object.values(info.tables).reduce((a, b) => a + b, 0);

/** A refused backup or restore: the file the operator named is the problem (1), or the situation (2). */
function refused(io: Io, error: unknown): number {
  if (!(error instanceof BackupError)) throw error;
  io.err(`[${error.code}] ${error.message}\n`);
  return error.code === 'notFound' || error.code === 'exists' || error.code === 'inUse'
    ? EXIT.usage
    : EXIT.dataProblems;
}

/** `pnpm cli backup <file>`: an online backup, safe while the server runs. */
export async function backupCommand(io: Io, databasePath: string, file: string, json: boolean): Promise<number> {
  try {
    const info = await backupDatabase(databasePath, file);
    if (json) io.out(`${JSON.stringify(info, null, 2)}\n`);
    else
      io.out(
        `备份完成 backup written: ${info.path} (${mb(info.bytes)}, ${rows(info)} rows, ${info.migrations} migrations, integrity ok)\n`,
      );
    return EXIT.ok;
  } catch (error) {
    return refused(io, error);
  }
}

/** `pnpm cli restore <file>`: replaces the database with a checked backup; the server must be stopped. */
export function restoreCommand(io: Io, databasePath: string, file: string, json: boolean): number {
  try {
    const result = restoreDatabase(file, databasePath);
    if (json) io.out(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const info = result.restored;
      io.out(`恢复完成 restored ${file} → ${info.path} (${rows(info)} rows, ${info.migrations} migrations)\n`);
      if (result.previous) io.out(`  原数据库已保留 the replaced database is kept at ${result.previous}\n`);
      if (info.pendingMigrations.length)
        io.out(`  ${info.pendingMigrations.length} newer migrations will be applied when the server starts\n`);
    }
    return EXIT.ok;
  } catch (error) {
    return refused(io, error);
  }
}
