import type { Server } from 'node:http';
import type { Logger } from '../logger.ts';

export interface ShutdownSteps {
  server: Server;
  /** The engine's loops, when this process runs them: stop() returns once the running tick ended. */
  engine?: { stop(): Promise<void> };
  /** Released after the engine stopped (the SQLite engine lock). */
  release?: () => void;
  db: { close(): Promise<void> };
  timeoutMs: number;
  logger: Logger;
  /** Called first, so /ready answers 503 while the rest winds down. */
  onStopping?: () => void;
  exit?: (code: number) => void;
}

/**
 * SIGTERM/SIGINT: /ready turns 503, the port stops accepting connections (requests already in
 * flight are answered, idle keep-alive connections closed), the engine stops claiming work and its
 * running tick ends, then the database closes and the process exits 0. Whatever is still running
 * after `timeoutMs` is abandoned with exit 1: effects are idempotent by instance:node:visit and a
 * batch commits whole or not at all, so the next worker picks up exactly what was left, as after a
 * crash. A second signal during shutdown changes nothing.
 */
export function gracefulShutdown(steps: ShutdownSteps): (signal: string) => Promise<void> {
  const exit = steps.exit ?? ((code: number) => process.exit(code));
  let started: Promise<void> | undefined;
  const run = async (signal: string) => {
    const began = Date.now();
    steps.onStopping?.();
    steps.logger.info({ signal, timeoutMs: steps.timeoutMs }, 'shutting down');
    const timeout = setTimeout(() => {
      steps.logger.error({ timeoutMs: steps.timeoutMs }, 'shutdown timed out; exiting with work in flight');
      steps.server.closeAllConnections();
      exit(1);
    }, steps.timeoutMs);
    timeout.unref();
    const closed = new Promise<void>((resolve) => steps.server.close(() => resolve()));
    // A keep-alive connection busy at close() goes idle once answered: close those as they do.
    const closeIdle = setInterval(() => steps.server.closeIdleConnections(), 100).unref();
    steps.server.closeIdleConnections();
    await steps.engine?.stop();
    steps.release?.();
    await closed;
    clearInterval(closeIdle);
    await steps.db.close();
    clearTimeout(timeout);
    steps.logger.info({ ms: Date.now() - began }, 'shut down cleanly');
    exit(0);
  };
  return (signal) => {
    started ??= run(signal).catch((error) => {
      steps.logger.error({ err: error }, 'shutdown failed');
      exit(1);
    });
    return started;
  };
}
