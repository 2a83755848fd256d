// `pnpm bench --backend postgres [--workers 2] [--customers 100000]`: the engine on PostgreSQL with 1
// and with N worker processes, next to SQLite (pg-workers/section.ts). Prints a table and writes the
// figures into bench/results.json under `postgres`, keeping the other sections' fields.
// Options: --latency-events <n> (default min(15 % of customers, 10000)), --latency-rate <events/s> (2000),
//          --out <file> (bench/results.json).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PostgresSection, type RunFigures, runPostgresSection } from './pg-workers/section.ts';

/** `results` with the section in it; whatever else the file holds stays as it was. */
export function withPostgresSection(results: Record<string, unknown>, section: PostgresSection) {
  return { ...results, postgres: section };
}

/** One line of the printed table per run. */
export function tableRows(section: PostgresSection): Record<string, Record<string, number | string>> {
  const row = (r: RunFigures) => ({
    'steps/s': r.stepsPerSec,
    'p50 ms': r.p50Ms,
    'p99 ms': r.p99Ms,
    'rows/step': r.postgres?.rowsWrittenPerStep ?? r.storeRowsPerStep,
    'commits/step': r.postgres?.commitsPerStep ?? '',
    'PG CPU s': r.postgres?.backendCpuSeconds ?? '',
    'PG CPU ms/step': r.postgres?.cpuMsPerStep ?? '',
    'WAL B/step': r.postgres?.walBytesPerStep ?? '',
    'peak conns': r.postgres?.peakConnections ?? '',
    'worker CPU ms/step': r.workerCpuMsPerStep,
  });
  return {
    'SQLite ×1': row(section.sqlite),
    'PostgreSQL ×1': row(section.postgres1),
    [`PostgreSQL ×${section.workers}`]: row(section.postgresN),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'postgres' },
      workers: { type: 'string', default: '2' },
      customers: { type: 'string', default: '100000' },
      'latency-events': { type: 'string' },
      'latency-rate': { type: 'string' },
      out: { type: 'string', default: new URL('../../../bench/results.json', import.meta.url).pathname },
    },
  });
  if (values.backend !== 'postgres') throw new Error(`--backend ${values.backend}: this section is postgres only`);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const customers = Number(values.customers);
  const workers = Number(values.workers);
  log(`benchmark on PostgreSQL: ${customers} customers, 1 and ${workers} worker processes, next to SQLite`);
  const section = await runPostgresSection({
    customers,
    workers,
    latencyEvents: values['latency-events'] === undefined ? undefined : Number(values['latency-events']),
    latencyRate: values['latency-rate'] === undefined ? undefined : Number(values['latency-rate']),
    log,
  });
  const out = values.out as string;
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(out, `${JSON.stringify(withPostgresSection(previous, section), null, 2)}\n`);
  console.table(tableRows(section));
  log(
    `scaling 1 → ${workers} workers: ×${section.scaling.stepsPerSecRatio} steps/s (efficiency ${section.scaling.efficiency}); PostgreSQL ×1 ÷ SQLite: ${section.scaling.postgres1VsSqlite}`,
  );
  log(`PostgreSQL CPU from ${section.cpuSource}`);
  log(`load average ${section.loadAverage.start.join(' ')} → ${section.loadAverage.end.join(' ')}; wrote ${out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
