// `pnpm bench --queue-compare [--jobs 20000] [--consumers 1,2] [--batch-sizes 200,1000] [--repeats 3]`: our claim
// queries against graphile-worker and pg-boss on the local PostgreSQL (queue-compare/section.ts).
// Prints a table and writes the figures into bench/results.json under `queueCompare`, keeping the
// other sections' fields.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type QueueCompareSection, runQueueCompare } from './queue-compare/section.ts';

/** `results` with the section in it; whatever else the file holds stays as it was. */
export function withQueueCompareSection(results: Record<string, unknown>, section: QueueCompareSection) {
  return { ...results, queueCompare: section };
}

const numbers = (list: string) => list.split(',').map((n) => Number(n.trim()));

/** One line of the printed table per run. */
export function queueTableRows(section: QueueCompareSection): Array<Record<string, number | string>> {
  return section.summary.map((r) => ({
    queue: r.queue,
    batch: r.batchSize,
    consumers: r.consumers,
    'jobs/s': r.jobsPerSec,
    'jobs/s range': r.jobsPerSecRange.join('–'),
    'claim p50 ms': r.claimP50Ms,
    'claim p99 ms': r.claimP99Ms,
    'rows/job': r.rowsWrittenPerJob ?? '',
    'WAL B/job': r.walBytesPerJob ?? '',
    'commits/job': r.commitsPerJob ?? '',
    'PG CPU ms/job': r.cpuMsPerJob ?? '',
  }));
}

async function main() {
  const { values } = parseArgs({
    options: {
      'queue-compare': { type: 'boolean' },
      jobs: { type: 'string', default: '20000' },
      consumers: { type: 'string', default: '1,2' },
      'batch-sizes': { type: 'string', default: '200,1000' },
      repeats: { type: 'string', default: '3' },
      out: { type: 'string', default: new URL('../../../bench/results.json', import.meta.url).pathname },
    },
  });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const jobs = Number(values.jobs);
  log(
    `queue comparison on PostgreSQL: ${jobs} due jobs, consumers ${values.consumers}, batches ${values['batch-sizes']}, ${values.repeats} rounds (medians)`,
  );
  const section = await runQueueCompare({
    jobs,
    consumers: numbers(values.consumers as string),
    batchSizes: numbers(values['batch-sizes'] as string),
    repeats: Number(values.repeats),
    log,
  });
  const out = values.out as string;
  const previous = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(out, `${JSON.stringify(withQueueCompareSection(previous, section), null, 2)}\n`);
  console.table(queueTableRows(section));
  log(
    `load average ${section.machine.loadAverage.start.join(' ')} → ${section.machine.loadAverage.end.join(' ')}; wrote ${out}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
