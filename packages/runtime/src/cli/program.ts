import { Command, CommanderError, Option } from 'commander';
import type { NodesFor } from '../assembly/assemble.ts';
import { runtimeNodes } from '../assembly/default-nodes.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { type Database, DatabaseStartupError, openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';
import { backupCommand, restoreCommand } from './backup-commands.ts';
import { callbacksCommand } from './callbacks-command.ts';
import { enrollCommand, exportCommand, type Io, importCommand, validateCommand } from './commands.ts';
import { credentialsRotateCommand } from './credentials-command.ts';
import { EXIT } from './exit-codes.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * Runs `pnpm cli <command>` and returns the exit code (0 ok, 1 data problems, 2 usage, 3 error).
 * Tests call it in-process with their own database path and output sinks.
 */
export async function runCli(
  argv: string[],
  io: Io,
  nodesFor: NodesFor = runtimeNodes(createLogger('warn')),
): Promise<number> {
  let code: number = EXIT.ok;
  let db: Database | undefined;
  const withDb = async (dbPath: string | undefined, task: (db: Database) => Promise<number>) => {
    db = await openDatabase(dbPath ?? loadConfig().DATABASE_PATH);
    code = await task(db);
  };
  const program = new Command('siyu')
    .description('私域旅程命令行 Siyu Journeys CLI')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .option('--db <path>', 'SQLite database file (default: DATABASE_PATH)');
  const dbPath = () => program.opts<{ db?: string }>().db;

  program
    .command('import <file>')
    .description('导入客户 import customers from a CSV (UTF-8/GBK) or XLSX file')
    .addOption(
      new Option('--mode <mode>', 'strict: any bad row rejects the file')
        .choices(['strict', 'skip-invalid'])
        .default('strict'),
    )
    .option('--tag <tag>', 'tag every imported customer (repeatable)', collect, [])
    .option(
      '--map <column=field>',
      "which field a column holds, e.g. --map 'Tel (mobile)=phone' --map 'Member=externalId' (repeatable; fields: phone, name, tags, externalId, wecomExternalUserId, orderId, amount, orderedAt, ignore, attribute:<name>)",
      collect,
      [],
    )
    .option('--sheet <name>', 'the Excel worksheet to import (default the first)')
    .option('--preset <name>', 'start from a saved column mapping (--map overrides its columns)')
    .option('--save-preset <name>', 'save the column mapping used under this name once the import committed')
    .option('--json', 'print the full report as JSON', false)
    .action(
      (
        file: string,
        o: {
          mode: string;
          tag: string[];
          map: string[];
          sheet?: string;
          preset?: string;
          savePreset?: string;
          json: boolean;
        },
      ) =>
        withDb(dbPath(), (d) =>
          importCommand(d, io, file, {
            mode: o.mode === 'strict' ? 'strict' : 'skipInvalid',
            tag: o.tag,
            map: o.map,
            preset: o.preset,
            savePreset: o.savePreset,
            json: o.json,
          }),
        ),
    );
  program
    .command('validate <journey>')
    .description('校验旅程 validate a journey.json file or a journey id')
    .action((target: string) => withDb(dbPath(), (d) => validateCommand(d, nodesFor, io, target)));
  program
    .command('enroll <journeyId>')
    .description('让客户进入旅程 enroll customers in a live journey')
    .option('--customer <id>', 'customer id (repeatable)', collect, [])
    .option('--file <path>', 'file with one customer id per line')
    .option('--segment <id>', 'every customer of a saved segment')
    .action((journeyId: string, o: { customer: string[]; file?: string; segment?: string }) =>
      withDb(dbPath(), (d) => enrollCommand(d, nodesFor, io, journeyId, o)),
    );
  program
    .command('export <what>')
    .description('导出 export "customers" (CSV) or "journey" (JSON)')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--tag <tag>', 'customers: only those with this tag')
    .option('--journey <id>', 'journey: which journey')
    .action((what: string, o: { out?: string; tag?: string; journey?: string }) =>
      withDb(dbPath(), (d) => exportCommand(d, io, what, o)),
    );
  program
    .command('backup <file>')
    .description('备份数据库 online backup of the SQLite database (safe while the server runs)')
    .option('--json', 'print what was backed up as JSON', false)
    .action(async (file: string, o: { json: boolean }) => {
      code = await backupCommand(io, dbPath() ?? loadConfig().DATABASE_PATH, file, o.json);
    });
  program
    .command('restore <file>')
    .description('从备份恢复 replace the database with a backup (stop the server first)')
    .option('--json', 'print what was restored as JSON', false)
    .action((file: string, o: { json: boolean }) => {
      code = restoreCommand(io, dbPath() ?? loadConfig().DATABASE_PATH, file, o.json);
    });

  program
    .command('callbacks')
    .description('回调地址 print the provider callback URLs (SMS ones carry the secret token)')
    .option('--rotate', 'replace the token first (old URLs stop working at once)', false)
    .option('--public-url <url>', 'base URL the providers reach (default: PUBLIC_URL, else HOST:PORT)')
    .action((o: { rotate: boolean; publicUrl?: string }) =>
      withDb(dbPath(), async (d) => {
        const config = loadConfig();
        const local = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
        return callbacksCommand(d, io, { publicUrl: o.publicUrl ?? config.PUBLIC_URL ?? local, rotate: o.rotate });
      }),
    );

  program
    .command('credentials')
    .description('凭据 stored credentials')
    .command('rotate')
    .description(
      '用当前密钥重新加密所有凭据 re-encrypt every credential with CREDENTIALS_KEY (old key: CREDENTIALS_KEY_PREVIOUS)',
    )
    .action(() => withDb(dbPath(), (d) => credentialsRotateCommand(d, io)));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (error instanceof ConfigError || error instanceof DatabaseStartupError) {
      io.err(`${error.message}\n`);
      code = EXIT.usage;
    } else {
      io.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      code = EXIT.error;
    }
  } finally {
    await (db as Database | undefined)?.close();
  }
  return code;
}
