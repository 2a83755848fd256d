// The parent's handle on one bench worker process (worker.ts): spawn it, ask it one command at a
// time, fail by name when it errs, dies or answers out of turn.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type WorkerCommand, WorkerReply, type WorkerReport } from './protocol.ts';

const RUNTIME_DIR = fileURLToPath(new URL('../../', import.meta.url));
const WORKER_SCRIPT = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface WorkerProcess {
  readonly id: string;
  readonly pid: number | undefined;
  /** Resolves once the process has started and opened its store's side (it says "ready"). */
  readonly ready: Promise<void>;
  /** Runs one phase; resolves with the worker's running step total. */
  phase(command: Exclude<WorkerCommand, { kind: 'report' | 'close' }>): Promise<number>;
  report(): Promise<WorkerReport>;
  /** Closes its store and waits for the process to exit. */
  close(): Promise<void>;
  /** Ends the process at once (after a failure). */
  kill(): void;
}

export function spawnWorker(id: string, backend: 'sqlite' | 'postgres', target: string): WorkerProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER_SCRIPT, '--backend', backend, '--target', target, '--worker-id', id],
    // tsx is a dependency of the runtime package: resolve `--import tsx` from there.
    { cwd: RUNTIME_DIR, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let waiting: { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void } | undefined;
  const fail = (message: string) => {
    const error = new Error(`bench worker ${id} (${backend}): ${message}${stderr ? `\n${stderr}` : ''}`);
    waiting?.reject(error);
    waiting = undefined;
    return error;
  };
  let readyResolve: () => void = () => {};
  let readyReject: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  ready.catch(() => {}); // observed by whoever awaits it
  child.on('message', (raw) => {
    const parsed = WorkerReply.safeParse(raw);
    if (!parsed.success) return void fail(`answered something unknown: ${JSON.stringify(raw).slice(0, 200)}`);
    const reply = parsed.data;
    if (reply.kind === 'ready') return readyResolve();
    if (reply.kind === 'error') return void fail(reply.message);
    if (!waiting) return void fail(`answered ${reply.kind} when nothing was asked`);
    const w = waiting;
    waiting = undefined;
    w.resolve(reply);
  });
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    readyReject(fail(`exited (code ${code}, signal ${signal})`));
  };
  child.once('exit', onExit);

  const ask = (command: WorkerCommand): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      if (waiting) return reject(new Error(`bench worker ${id}: asked ${command.kind} while busy`));
      waiting = { resolve, reject };
      child.send(command);
    });
  const expect = <K extends WorkerReply['kind']>(reply: WorkerReply, kind: K) => {
    if (reply.kind !== kind) throw new Error(`bench worker ${id}: expected ${kind}, got ${reply.kind}`);
    return reply as Extract<WorkerReply, { kind: K }>;
  };

  return {
    id,
    pid: child.pid,
    ready,
    async phase(command) {
      return expect(await ask(command), 'done').steps;
    },
    async report() {
      return expect(await ask({ kind: 'report' }), 'report').report;
    },
    async close() {
      expect(await ask({ kind: 'close' }), 'closed');
      child.off('exit', onExit);
      await exited;
    },
    kill() {
      child.off('exit', onExit);
      child.kill('SIGKILL');
    },
  };
}
