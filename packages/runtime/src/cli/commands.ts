import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  type ApiErrorDetail,
  apiErrorText,
  issuesOf,
  type JourneyGraph,
  JourneyGraphSchema,
  SegmentFilterSchema,
  validateGraph,
} from '@siyu/shared';
import { spreadsheetCsv, UTF8_BOM } from '@siyu/shared/csv';
import { SingleBar } from 'cli-progress';
import { assembleServer, type NodesFor } from '../assembly/assemble.ts';
import { type EngineLock, EngineLockError, takeEngineLock } from '../assembly/engine-lock.ts';
import { visitSegmentMembers } from '../audiences/segments.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { Database } from '../db/database.ts';
import { groupConcat } from '../db/sql-dialect.ts';
import { systemClock } from '../engine/api.ts';
import { type ColumnMapping, mappingFromFlags } from '../import/column-mapping.ts';
import { importCustomers } from '../import/import-customers.ts';
import { ImportFileError } from '../import/import-error.ts';
import { mappingFromPreset, saveMappingPreset } from '../import/mapping-presets.ts';
import { createLogger } from '../logger.ts';
import { EXIT } from './exit-codes.ts';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Show a progress bar on stderr (a terminal); off in tests and pipes. */
  progress: boolean;
}

/** An error's words for the terminal, in both languages as the CLI prints everything. */
function cliText(detail: ApiErrorDetail): string {
  const text = apiErrorText(detail);
  return text ? `${text['zh-CN']} ${text.en}` : detail.key;
}

export async function importCommand(
  db: AppDatabase,
  io: Io,
  file: string,
  options: {
    mode: 'strict' | 'skipInvalid';
    tag: string[];
    map?: string[];
    /** XLSX: the worksheet to import. */
    sheet?: string;
    /** A saved mapping to start from (--map flags override its columns). */
    preset?: string;
    /** Save the mapping used under this name once the import committed. */
    savePreset?: string;
    json: boolean;
  },
): Promise<number> {
  if (!existsSync(file)) {
    io.err(`文件不存在 file not found: ${file}\n`);
    return EXIT.usage;
  }
  let mapping: ColumnMapping;
  try {
    mapping = mappingFromFlags(options.map ?? []);
    if (options.preset) mapping = await mappingFromPreset(db, options.preset, mapping);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    io.err(`${cliText(error.detail)}\n`);
    return EXIT.usage;
  }
  const bar = io.progress
    ? new SingleBar({ format: '导入 import [{bar}] {percentage}% {value}/{total}', stream: process.stderr })
    : null;
  let started = false;
  const read = importCustomers(db, readFileSync(file), {
    fileName: file,
    mode: options.mode,
    tags: options.tag,
    mapping,
    sheet: options.sheet,
    createdBy: 'cli',
    onProgress(done, total) {
      if (!bar) return;
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
  });
  const report = await read.catch((e: unknown) => {
    if (!(e instanceof ImportFileError)) throw e;
    return e; // a file that cannot be read at all: its message names the problem
  });
  if (report instanceof ImportFileError) {
    bar?.stop();
    io.err(`${cliText(report.detail)}\n`);
    return EXIT.dataProblems;
  }
  bar?.stop();
  if (options.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.out(
      `${report.status}: ${report.totalRows} rows, ${report.created} created, ${report.updated} updated, ${report.duplicates} duplicates, ${report.rejected} rejected${report.error ? ` — ${report.error}` : ''}\n`,
    );
    for (const p of report.problems) io.out(`  row ${p.row}: ${p.reason}\n`);
  }
  if (options.savePreset && report.status === 'committed') {
    await saveMappingPreset(db, { name: options.savePreset, mapping, createdBy: 'cli' });
    io.err(`列映射已保存为「${options.savePreset}」 column mapping saved as "${options.savePreset}"\n`);
  }
  if (report.status === 'failed') return EXIT.error;
  return report.status === 'committed' && (options.mode === 'skipInvalid' || report.rejected === 0)
    ? EXIT.ok
    : EXIT.dataProblems;
}

export async function validateCommand(db: Database, nodesFor: NodesFor, io: Io, target: string): Promise<number> {
  let graph: JourneyGraph;
  if (existsSync(target)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(target, 'utf8'));
    } catch (error) {
      io.out(`${target}: not JSON: ${(error as Error).message}\n`);
      return EXIT.dataProblems;
    }
    const candidate =
      typeof raw === 'object' && raw !== null && 'graph' in raw ? (raw as { graph: unknown }).graph : raw;
    const parsed = JourneyGraphSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const i of issuesOf(parsed.error)) io.out(`${target}: ${i.path}: ${i.message}\n`);
      return EXIT.dataProblems;
    }
    graph = parsed.data;
  } else {
    const journey = await db.prisma.journey.findUnique({ where: { id: target } });
    if (!journey) {
      io.err(`不是文件也不是旅程 id: ${target} is neither a file nor a journey id\n`);
      return EXIT.usage;
    }
    graph = JSON.parse(journey.draft) as JourneyGraph;
  }
  const problems = validateGraph(graph, nodesFor(db, systemClock).registry);
  if (problems.length === 0) {
    io.out('ok: 旅程有效 the journey is valid\n');
    return EXIT.ok;
  }
  for (const p of problems)
    io.out(`${p.nodeId ?? '-'}${p.path ? ` ${p.path}` : ''}: ${p.message['zh-CN']} ${p.message.en}\n`);
  return EXIT.dataProblems;
}

export async function enrollCommand(
  db: Database,
  nodesFor: NodesFor,
  io: Io,
  journeyId: string,
  options: { customer: string[]; file?: string; segment?: string },
): Promise<number> {
  const ids = [...options.customer];
  if (options.file) {
    if (!existsSync(options.file)) {
      io.err(`文件不存在 file not found: ${options.file}\n`);
      return EXIT.usage;
    }
    ids.push(
      ...readFileSync(options.file, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    );
  }
  if (options.segment) {
    const segment = await db.prisma.segment.findUnique({ where: { id: options.segment } });
    if (!segment) {
      io.err(`分群不存在 segment not found: ${options.segment}\n`);
      return EXIT.usage;
    }
    await visitSegmentMembers(db, SegmentFilterSchema.parse(JSON.parse(segment.filter)), Date.now(), (id) =>
      ids.push(id),
    );
  }
  if (ids.length === 0) {
    io.err('没有客户 no customers given: use --customer, --file or --segment\n');
    return EXIT.usage;
  }
  const { engine } = assembleServer({
    db,
    nodesFor,
    clock: systemClock,
    logger: createLogger('warn'),
    publicUrl: 'http://localhost',
  });
  let enrolled = 0;
  const skipped: Record<string, number> = {};
  const failed: string[] = [];
  for (const id of ids) {
    try {
      const outcome = await engine.enroll(journeyId, id);
      if (outcome.status === 'enrolled') enrolled++;
      else skipped[outcome.reason] = (skipped[outcome.reason] ?? 0) + 1;
    } catch (error) {
      failed.push(`${id}: ${(error as Error).message}`);
    }
  }
  // The entry steps are written above. Sending what they queued is the engine's job: done here only
  // when no server runs the engine on this file, else both would claim the same effects (SQLite
  // claims carry no lease) and a customer could be messaged twice.
  const lock = tryEngineLock(db.path);
  if (lock) {
    try {
      await engine.tick();
    } finally {
      lock.release();
    }
  } else io.err('引擎正在另一进程运行，消息由它发送 the running server sends the queued messages\n');
  await engine.stop();
  io.out(`enrolled ${enrolled}, skipped ${JSON.stringify(skipped)}, failed ${failed.length}\n`);
  for (const f of failed) io.out(`  ${f}\n`);
  if (skipped.journeyNotLive) io.err(`旅程未上线 journey ${journeyId} is not live\n`);
  return failed.length > 0 || skipped.journeyNotLive ? EXIT.dataProblems : EXIT.ok;
}

export async function exportCommand(
  db: AppDatabase,
  io: Io,
  what: string,
  options: { out?: string; tag?: string; journey?: string },
): Promise<number> {
  let text: string;
  if (what === 'customers') {
    const rows = await db.sql.all(
      `SELECT c.id, (SELECT value FROM CustomerIdentity i WHERE i.customerId = c.id AND i.kind = 'phone') AS phone,
         c.displayName AS name, (SELECT ${groupConcat(db.sql.dialect, 'tag', "','")} FROM CustomerTag t WHERE t.customerId = c.id) AS tags,
         c.channelCode AS channel, c.attributes, c.createdAt
       FROM Customer c WHERE c.erasedAt IS NULL
         ${options.tag ? 'AND EXISTS (SELECT 1 FROM CustomerTag t WHERE t.customerId = c.id AND t.tag = ?)' : ''}
       ORDER BY c.createdAt, c.id`,
      options.tag ? [options.tag] : [],
    );
    // UTF-8 with BOM so Excel in China opens it with the right encoding; names come from customers
    // (a WeCom nickname "=HYPERLINK(…)"), so cells that start like a formula are written as text.
    const columns = ['id', 'phone', 'name', 'tags', 'channel', 'attributes', 'createdAt'] as const;
    text = UTF8_BOM + spreadsheetCsv([columns, ...rows.map((row) => columns.map((c) => row[c]))]);
  } else if (what === 'journey') {
    if (!options.journey) {
      io.err('export journey needs --journey <id>\n');
      return EXIT.usage;
    }
    const journey = await db.prisma.journey.findUnique({ where: { id: options.journey }, include: { versions: true } });
    if (!journey) {
      io.err(`旅程不存在 journey not found: ${options.journey}\n`);
      return EXIT.usage;
    }
    text = `${JSON.stringify({ name: journey.name, description: journey.description, graph: JSON.parse(journey.draft) }, null, 2)}\n`;
  } else {
    io.err(`unknown export "${what}": use customers or journey\n`);
    return EXIT.usage;
  }
  if (options.out) writeFileSync(options.out, text);
  else io.out(text);
  return EXIT.ok;
}

/** The engine lock, or undefined when another process holds it (a server running on this file). */
function tryEngineLock(databasePath: string): EngineLock | undefined {
  try {
    return takeEngineLock(databasePath);
  } catch (error) {
    if (error instanceof EngineLockError) return undefined;
    throw error;
  }
}
