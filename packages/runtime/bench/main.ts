// `pnpm bench [options]`: which bench to run. pnpm appends a script's arguments to its LAST command,
// so `tsx bench/run.ts && tsx bench/reports.ts` handed `--customers` to the reports bench, which
// refuses it; here each bench gets the arguments meant for it.
//   pnpm bench [--customers …]                          the durable engine on SQLite (run.ts), then the reports
//   pnpm bench --backend postgres [--workers N] […]     PostgreSQL with 1 and N worker processes
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The SQLite bench's memory figure (peak RSS) is measured under these limits.
const SQLITE_BENCH_NODE_OPTIONS = '--max-old-space-size=320 --max-semi-space-size=32';

const args = process.argv.slice(2);
const at = args.findIndex((a) => a === '--backend' || a.startsWith('--backend='));
const backend = at < 0 ? 'sqlite' : args[at]?.includes('=') ? args[at]?.split('=')[1] : args[at + 1];

function run(script: string, scriptArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...scriptArgs],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: 'inherit',
      env,
    },
  );
  if (result.status !== 0) {
    process.stderr.write(
      `bench: ${script} failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`})\n`,
    );
    process.exit(result.status ?? 1);
  }
}

if (backend === 'postgres') run('./postgres-workers.ts', args);
else if (backend === 'sqlite') {
  const rest = at < 0 ? args : args.filter((_, i) => i !== at && (args[at]?.includes('=') || i !== at + 1));
  run('./run.ts', rest, { ...process.env, NODE_OPTIONS: SQLITE_BENCH_NODE_OPTIONS });
  run('./reports.ts', []);
} else {
  process.stderr.write(`bench: --backend ${backend}: expected sqlite or postgres\n`);
  process.exit(2);
}
