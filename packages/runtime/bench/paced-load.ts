// An open-loop load generator: requests leave at an even pace (`rate` per second, spread over each
// millisecond), whatever the server's answers, over a pool of keep-alive connections. autocannon's
// `overallRate` sends each connection's share of a second back to back at the start of the second:
// a burst of the whole second's load, then silence. That tests bursts; this measures what a steady
// stream of customers meets. Latency counts from when a request was due to leave, so a server that
// falls behind cannot hide it (no coordinated omission).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './percentile.ts';

export interface PacedLoadOptions {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  headers: Record<string, string>;
  /** The body of the next request (called as it leaves). */
  body: () => string;
}

export interface PacedLoadResult {
  sent: number;
  completed: number;
  errors: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  achievedPerSec: number;
}

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let non2xx = 0;
  const t0 = performance.now();
  const send = (dueAt: number) =>
    new Promise<void>((resolve) => {
      const finish = () => resolve();
      const payload = options.body();
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: { ...options.headers, 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            if ((response.statusCode ?? 0) >= 300) non2xx++;
            latencies.push(performance.now() - dueAt);
            finish();
          });
        },
      );
      request.on('error', () => {
        errors++;
        finish();
      });
      request.end(payload);
    });
  const pending: Promise<void>[] = [];
  while (sent < total) {
    const elapsed = performance.now() - t0;
    const due = Math.min(total, Math.floor((elapsed / 1000) * options.rate) + 1);
    for (; sent < due; sent++) pending.push(send(t0 + (sent * 1000) / options.rate));
    await new Promise((r) => setTimeout(r, 1));
  }
  const sendSeconds = (performance.now() - t0) / 1000;
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => percentile(latencies, q);
  return {
    sent,
    completed: latencies.length,
    errors,
    non2xx,
    p50Ms: Math.round(at(0.5) * 10) / 10,
    p99Ms: Math.round(at(0.99) * 10) / 10,
    maxMs: Math.round(at(1) * 10) / 10,
    achievedPerSec: Math.round(latencies.length / sendSeconds),
  };
}
