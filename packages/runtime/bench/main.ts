// `pnpm bench [options]`: which bench to run. pnpm appends a script's arguments to its LAST command,
// so `tsx bench/run.ts && tsx bench/reports.ts` handed `--customers` to the reports bench, which
// refuses it; here each bench gets the arguments meant for it.
//   pnpm bench [--customers …]                          the durable engine on SQLite (run.ts), then the reports
//   pnpm bench --backend postgres [--workers N] […]     PostgreSQL with 1 and N worker processes
//   pnpm bench --queue-compare [--jobs …] […]           our claim queries vs graphile-worker and pg-boss
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The SQLite bench's memory figure (peak RSS) is measured under these limits.
const SQLITE_BENCH_NODE_OPTIONS = '--max-old-space-size=320 --max-semi-space-size=32';

/**
 * The options as given: `pnpm bench -- --customers N` hands the script a literal `--` first (pnpm
 * passes it through), after which node's parseArgs would read every option as a positional.
 */
export function benchArgs(argv: readonly string[]): string[] {
  return argv.filter((a) => a !== '--');
}

/** Which bench `args` ask for, and the arguments meant for it (`--backend` is the postgres bench's too). */
export function pickBench(args: readonly string[]): { backend: string; rest: string[] } {
  const at = args.findIndex((a) => a === '--backend' || a.startsWith('--backend='));
  if (at < 0) return { backend: 'sqlite', rest: [...args] };
  const inline = args[at]?.includes('=');
  const backend = (inline ? args[at]?.slice('--backend='.length) : args[at + 1]) ?? '';
  return { backend, rest: args.filter((_, i) => i !== at && (inline || i !== at + 1)) };
}

function run(script: string, scriptArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...scriptArgs],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit', env },
  );
  if (result.status !== 0) {
    process.stderr.write(
      `bench: ${script} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})\n`,
    );
    process.exit(result.status ?? 1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = benchArgs(process.argv.slice(2));
  const { backend, rest } = pickBench(args);
  if (args.includes('--queue-compare')) run('./queue-compare.ts', args);
  else if (backend === 'postgres') run('./postgres-workers.ts', args);
  else if (backend === 'sqlite') {
    run('./run.ts', rest, { ...process.env, NODE_OPTIONS: SQLITE_BENCH_NODE_OPTIONS });
    run('./reports.ts', []);
  } else {
    process.stderr.write(`bench: --backend ${backend}: expected sqlite or postgres\n`);
    process.exit(2);
  }
}
