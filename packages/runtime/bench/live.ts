// `pnpm --filter @siyu/runtime run bench:live`: is the server still answering while the engine
// works a backlog? Runs the real server process (src/main.ts) on a SQLite file and measures, with
// concurrent clients, the latency of GET /health and of events.ingest (what shops and provider
// callbacks meet) while 20,000 due outbox effects (sandbox SMS) drain, in two situations:
//   running — the server is up and idle when the backlog appears (an audience journey over all
//             customers goes live: the engine enrols them in slices and sends each an SMS);
//   restart — the server starts on a database that already has the backlog (after a crash or deploy):
//             also how long until the port answers, against a start with no backlog.
//   engine only — the same drain in-process with no HTTP load: the longest waits of the event loop.
// Usage: bench:live [--effects 20000] [--clients 4] [--label after] [--out ../../bench/live-results.json]
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { runtimeNodes } from '../src/assembly/default-nodes.ts';
import { openDatabase } from '../src/db/database.ts';
import { createEngine } from '../src/engine/engine.ts';
import { createLogger } from '../src/logger.ts';
import {
  AUDIENCE_JOURNEY,
  audienceJourney,
  FINISHED_EFFECTS_SQL,
  PENDING_EFFECTS_SQL,
  seedBacklog,
} from '../testing/backlog.ts';
import { publishJourney } from '../testing/fixtures.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../testing/server-process.ts';

const { values } = parseArgs({
  options: {
    effects: { type: 'string', default: '20000' },
    clients: { type: 'string', default: '4' },
    label: { type: 'string', default: 'latest' },
    'timeout-s': { type: 'string', default: '600' },
    out: { type: 'string', default: new URL('../../../bench/live-results.json', import.meta.url).pathname },
  },
});
const effects = Number(values.effects);
const clients = Number(values.clients);
const timeoutMs = Number(values['timeout-s']) * 1000;
const log = (msg: string) => process.stdout.write(`${msg}\n`);
const dir = mkdtempSync(join(tmpdir(), 'siyu-live-'));

interface Sample {
  ms: number;
  ok: boolean;
  /** Status or error of a failed request. */
  error?: string;
}

function summary(samples: Sample[]) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) =>
    ms.length ? Number(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]?.toFixed(1)) : null;
  return {
    requests: ms.length,
    errors: samples.filter((s) => !s.ok).length,
    firstError: samples.find((s) => !s.ok)?.error,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: ms.length ? Number(ms[ms.length - 1]?.toFixed(1)) : null,
  };
}

/**
 * Runs `clients` /health loops and `clients` ingest loops against the server until `done()`;
 * every request's latency is kept.
 */
async function load(server: ServerProcess, apiKey: string, customerIds: string[], done: () => boolean) {
  const health: Sample[] = [];
  const ingest: Sample[] = [];
  const timed = async (into: Sample[], request: () => Promise<Response>) => {
    const t0 = performance.now();
    try {
      const res = await request();
      const body = await res.text();
      into.push({
        ms: performance.now() - t0,
        ok: res.ok,
        error: res.ok ? undefined : `${res.status} ${body.slice(0, 200)}`,
      });
    } catch (error) {
      into.push({ ms: performance.now() - t0, ok: false, error: String((error as Error).cause ?? error) });
    }
  };
  const loop = async (into: Sample[], request: () => Promise<Response>) => {
    while (!done()) await timed(into, request);
  };
  const healthRequest = () => fetch(`${server.url}/health`);
  const ingestRequest = () =>
    fetch(`${server.url}/trpc/events.ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        id: randomUUID(),
        type: 'page.viewed',
        customerId: customerIds[Math.floor(Math.random() * customerIds.length)],
        occurredAt: new Date().toISOString(),
      }),
    });
  await Promise.all([
    ...Array.from({ length: clients }, () => loop(health, healthRequest)),
    ...Array.from({ length: clients }, () => loop(ingest, ingestRequest)),
  ]);
  return { health: summary(health), ingest: summary(ingest) };
}

/** Watches the outbox from another connection (as an operator's query would). */
function outboxWatch(dbPath: string) {
  const reader = new BetterSqlite3(dbPath, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  const count = (sql: string) => (reader.prepare(sql).get() as { n: number }).n;
  return {
    pending: () => count(PENDING_EFFECTS_SQL),
    finished: () => count(FINISHED_EFFECTS_SQL),
    close: () => reader.close(),
  };
}

/** Waits until `effects` effects have run; returns the ms since `started`. */
async function untilDrained(watch: ReturnType<typeof outboxWatch>, started: number): Promise<number> {
  while (watch.finished() < effects) {
    if (performance.now() - started > timeoutMs) throw new Error(`backlog not drained within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return performance.now() - started;
}

/**
 * The server is up and idle; then an audience journey over all customers goes live (written by
 * this process, as the editor's publish would): the engine enrols them in slices and sends each an SMS.
 */
async function running() {
  const dbPath = join(dir, 'running.db');
  log(`running: seeding ${effects} customers…`);
  const { apiKey, customerIds } = await seedBacklog(dbPath, effects, { enroll: false });
  const server = await spawnServer(dbPath);
  try {
    await waitForHealth(server);
    const watch = outboxWatch(dbPath);
    let drained = false;
    const measuring = load(server, apiKey, customerIds, () => drained);
    const t0 = performance.now();
    const writer = new BetterSqlite3(dbPath);
    writer.pragma('busy_timeout = 5000');
    publishJourney(writer, AUDIENCE_JOURNEY, audienceJourney());
    writer.close();
    log(`running: audience journey over ${effects} customers published; draining…`);
    const drainMs = await untilDrained(watch, t0);
    drained = true;
    const latency = await measuring;
    watch.close();
    log(`running: drained in ${Math.round(drainMs)} ms; ${JSON.stringify(latency)}`);
    return { drainMs: Math.round(drainMs), ...latency };
  } finally {
    await server.stop();
  }
}

async function startUp(withBacklog: boolean) {
  const dbPath = join(dir, withBacklog ? 'restart.db' : 'empty.db');
  log(`restart: seeding ${effects} customers${withBacklog ? ' with a pending effect each' : ''}…`);
  const { apiKey, customerIds } = await seedBacklog(dbPath, effects, { enroll: withBacklog });
  const watch = outboxWatch(dbPath);
  const server = await spawnServer(dbPath);
  try {
    const first = await waitForHealth(server);
    const listenMs = first.at - server.spawnedAt;
    const pendingAtListen = watch.pending();
    log(`restart: listening after ${Math.round(listenMs)} ms with ${pendingAtListen} effects pending`);
    if (!withBacklog) return { listenMs: Math.round(listenMs) };
    let drained = false;
    const measuring = load(server, apiKey, customerIds, () => drained);
    const drainMs = await untilDrained(watch, server.spawnedAt);
    drained = true;
    const latency = await measuring;
    log(`restart: drained ${Math.round(drainMs)} ms after spawn; ${JSON.stringify(latency)}`);
    return { listenMs: Math.round(listenMs), pendingAtListen, drainMs: Math.round(drainMs), ...latency };
  } finally {
    watch.close();
    await server.stop();
  }
}

/**
 * The engine alone, in this process, on the same backlog and nodes: how long the event loop waits
 * between two turns while one tick drains it (what a request would wait), with no HTTP load.
 */
async function engineOnly() {
  const dbPath = join(dir, 'engine.db');
  log(`engine only: seeding ${effects} pending effects…`);
  await seedBacklog(dbPath, effects);
  const db = await openDatabase(dbPath);
  const logger = createLogger('silent');
  const clock = { now: () => Date.now() };
  const nodes = runtimeNodes(logger)(db, clock);
  const engine = createEngine({
    db,
    registry: nodes.registry,
    executors: nodes.serverPackages.flatMap((p) => p.executors),
    clock,
    logger,
  });
  const gaps: number[] = [];
  let last = performance.now();
  let watching = true;
  const turn = () => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    if (watching) setImmediate(turn);
  };
  setImmediate(turn);
  const t0 = performance.now();
  const outcome = await engine.tick();
  const drainMs = performance.now() - t0;
  watching = false;
  await new Promise((r) => setImmediate(r));
  await engine.stop();
  await db.close();
  const sorted = gaps.sort((a, b) => a - b);
  const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1));
  const result = {
    drainMs: Math.round(drainMs),
    effectsRun: outcome.effectsRun,
    eventLoopTurns: sorted.length,
    gapP50Ms: at(0.5),
    gapP99Ms: at(0.99),
    gapMaxMs: Number(sorted.at(-1)?.toFixed(1)),
  };
  log(`engine only: ${JSON.stringify(result)}`);
  return result;
}

try {
  const result = {
    at: new Date().toISOString(),
    effects,
    clients: { health: clients, ingest: clients },
    machine: `${cpus()[0]?.model ?? 'cpu'} ×${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${platform()} ${release()}, Node ${process.version}`,
    loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(1))),
    engineOnly: await engineOnly(),
    running: await running(),
    restartNoBacklog: await startUp(false),
    restart: await startUp(true),
    loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(1))),
  };
  const all = existsSync(values.out) ? (JSON.parse(readFileSync(values.out, 'utf8')) as Record<string, unknown>) : {};
  all[values.label] = result;
  writeFileSync(values.out, `${JSON.stringify(all, null, 2)}\n`);
  log(`results → ${values.out} (${values.label})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
