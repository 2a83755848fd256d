// The real server (`src/main.ts`, as `pnpm start` runs it) in a child process on a free port, for
// the liveness bench and the start-up test: what a provider's callback meets after a restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEFAULT_HEAP_MB } from '../src/heap-cap.ts';

const RUNTIME_DIR = fileURLToPath(new URL('..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** performance.now() when the process was spawned. */
  spawnedAt: number;
  /** What the process wrote so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns the server as `pnpm start` does (`node --max-old-space-size=… --import tsx src/main.ts`,
 * the heap cap of package.json's start scripts, SIYU_HEAP_MB or 1024) on the database with examples
 * off and a fixed admin password.
 */
export async function spawnServer(dbPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  let output = '';
  const spawnedAt = performance.now();
  const heapMb = env.SIYU_HEAP_MB ?? process.env.SIYU_HEAP_MB ?? DEFAULT_HEAP_MB;
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', 'src/main.ts'], {
    cwd: RUNTIME_DIR,
    env: {
      ...process.env,
      DATABASE_PATH: dbPath,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOAD_EXAMPLES: 'false',
      ADMIN_PASSWORD: 'liveness-bench-1',
      LOG_LEVEL: 'warn',
      SMS_PROVIDER: 'sandbox',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    spawnedAt,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Polls `/health` until it answers 200; resolves with the response body and when it came
 * (performance.now()). Each attempt waits for its answer, however long the server takes.
 */
export async function waitForHealth(
  server: ServerProcess,
  timeoutMs = 120_000,
): Promise<{ at: number; body: Record<string, unknown> }> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (server.child.exitCode !== null)
      throw new Error(`server exited (${server.child.exitCode}):\n${server.output()}`);
    try {
      const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
      if (res.ok) return { at: performance.now(), body: (await res.json()) as Record<string, unknown> };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server did not answer /health within ${timeoutMs} ms:\n${server.output()}`);
}
