// `pnpm --filter @siyu/runtime exec tsx bench/http-ingest.ts`: the front door a real integrator
// uses — `events.ingest`, ONE event per request — on the real server process (src/main.ts, SQLite
// file), loaded by autocannon on the same machine at a fixed offered rate. Each event is a page view
// of a known customer: the request resolves the customer, stores the event once and finds nothing
// that reacts to it (most events a shop sends start nothing). With --enrol, a live journey enrols on
// every one of them (event entry → SMS → exit): each request also starts a run, and the engine
// sends an SMS per request in the same process.
// With --paced the requests leave at an even pace (paced-load.ts) instead of autocannon's bursts at the
// start of every second: what a steady stream of customers meets.
// Usage: http-ingest.ts [--rate 2000] [--seconds 20] [--connections 100] [--customers 20000] [--enrol]
//                       [--paced] [--label latest] [--out ../../bench/results.json]
// Writes `ingestHttpReqPerSec`, `ingestHttpP99Ms`, errors and the server's peak RSS under `httpIngest`;
// with --enrol also `eventToSmsP50Ms` / `eventToSmsP99Ms`: from the moment the client stamped the event
// (`occurredAt`, set as its request is built) to the SMS the journey sent for it (`Message.sentAt`),
// read from the database once the outbox has drained — the latency a customer sees, end to end.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { seedBacklog } from '../testing/backlog.ts';
import { graphOf, publishJourney } from '../testing/fixtures.ts';
import { spawnServer, waitForHealth } from '../testing/server-process.ts';
import { pacedLoad } from './paced-load.ts';
import { percentile } from './percentile.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '100' },
    customers: { type: 'string', default: '20000' },
    enrol: { type: 'boolean', default: false },
    paced: { type: 'boolean', default: false },
    label: { type: 'string', default: 'latest' },
    out: { type: 'string', default: new URL('../../../bench/results.json', import.meta.url).pathname },
  },
});
// The numeric flags, checked: `--rate abc` would otherwise offer NaN requests and report nothing useful.
function count(flag: 'rate' | 'seconds' | 'connections' | 'customers'): number {
  const parsed = z.coerce.number().int().positive().safeParse(values[flag]);
  if (!parsed.success) throw new Error(`--${flag} must be a whole number above 0 (got "${values[flag]}")`);
  return parsed.data;
}
const rate = count('rate');
const seconds = count('seconds');
const connections = count('connections');
const customers = count('customers');
const log = (msg: string) => process.stdout.write(`${msg}\n`);

/** The CPU time the server process has used so far (user + system), in ms (Linux clock ticks: 100/s). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The server's peak resident memory so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/**
 * Event → SMS latency of every event stamped at or after `since`, matched through the run it
 * started (the step log's enter row names the event) and the SMS that run sent (its outbox key
 * starts with the run's id). Waits up to 60 s for the outbox to drain first.
 */
async function eventToSms(dbPath: string, since: number) {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    const pending = db.prepare("SELECT count(*) AS n FROM OutboxEffect WHERE status IN ('pending', 'running')");
    const deadline = Date.now() + 60_000;
    while ((pending.get() as { n: number }).n > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    // `received`: from the client's stamp to the server taking the event in (the request's queue
    // and the group commit); the rest is the engine's: the run's steps, the outbox, the send.
    const rows = db
      .prepare(
        `SELECT m.sentAt - e.occurredAt AS total, e.receivedAt - e.occurredAt AS received
           FROM Message m
           JOIN StepLog s ON s.instanceId = CAST(substr(m.idempotencyKey, 1, instr(m.idempotencyKey, ':') - 1) AS INTEGER)
                         AND s.kind = 'enter'
           JOIN Event e ON e.externalId = json_extract(s.detail, '$.event')
          WHERE e.occurredAt >= ?`,
      )
      .all(since) as { total: number; received: number }[];
    const total = rows.map((r) => r.total).sort((a, b) => a - b);
    const received = rows.map((r) => r.received).sort((a, b) => a - b);
    return {
      eventToSmsP50Ms: percentile(total, 0.5),
      eventToSmsP99Ms: percentile(total, 0.99),
      eventToSmsMaxMs: percentile(total, 1),
      eventReceivedP50Ms: percentile(received, 0.5),
      eventReceivedP99Ms: percentile(received, 0.99),
      smsMeasured: rows.length,
    };
  } finally {
    db.close();
  }
}

function pageViewJourney() {
  const filter = { match: 'all', conditions: [] };
  const sms = { templateCode: 'SMS_1', signName: '品牌', content: '欢迎光临', params: {}, kind: 'notice' };
  return graphOf(
    [
      ['entry', 'core.eventEntry', { event: 'page.viewed', filter }],
      ['sms', 'sms.send', sms],
      ['exit', 'core.exit', {}],
    ],
    [
      ['entry', 'next', 'sms'],
      ['sms', 'sent', 'exit'],
    ],
    { quietHours: { enabled: false }, reEntry: { policy: 'always' } },
  );
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'siyu-http-ingest-'));
  const dbPath = join(dir, 'siyu.db');
  log(`http-ingest: seeding ${customers} customers…`);
  const { apiKey, customerIds } = await seedBacklog(dbPath, customers, { enroll: false });
  if (values.enrol) {
    const writer = new BetterSqlite3(dbPath);
    publishJourney(writer, 'page-views', pageViewJourney());
    writer.close();
  }
  const server = await spawnServer(dbPath);
  try {
    await waitForHealth(server);
    const url = `${server.url}/trpc/events.ingest`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
    const body = () =>
      JSON.stringify({
        id: randomUUID(),
        type: 'page.viewed',
        customerId: customerIds[Math.floor(Math.random() * customerIds.length)],
        occurredAt: new Date().toISOString(),
      });
    const load = async (duration: number) => {
      if (values.paced) {
        const paced = await pacedLoad({ url, rate, seconds: duration, connections, headers, body });
        return {
          perSec: paced.achievedPerSec,
          p50: paced.p50Ms,
          p99: paced.p99Ms,
          completed: paced.completed,
          errors: paced.errors,
          timeouts: 0,
          non2xx: paced.non2xx,
        };
      }
      const result = await autocannon({
        url,
        connections,
        overallRate: rate,
        duration,
        requests: [{ method: 'POST', headers, setupRequest: (request) => ({ ...request, body: body() }) }],
      });
      return {
        perSec: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        completed: result.requests.total,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
      };
    };
    // Warm-up, not counted: the server compiles (tsx) and loads lazily what the first requests touch.
    log('http-ingest: warming up for 3 s…');
    await load(3);
    log(
      `http-ingest: ${rate} requests/s offered for ${seconds} s over ${connections} connections${values.paced ? ', paced' : ''}…`,
    );
    const measuredFrom = Date.now();
    const pid = server.child.pid as number;
    const cpuBefore = cpuMs(pid);
    const result = await load(seconds);
    // Per request, over the measured load (the engine's work for it that is still queued when the
    // load ends is not counted: compare at rates the server keeps up with).
    const serverCpuMsPerRequest = Math.round(((cpuMs(pid) - cpuBefore) / result.completed) * 1000) / 1000;
    const latency = values.enrol ? await eventToSms(dbPath, measuredFrom) : {};
    const figures = {
      ingestHttpReqPerSec: result.perSec,
      ingestHttpP99Ms: result.p99,
      ingestHttpP50Ms: result.p50,
      load: values.paced ? 'paced' : 'autocannon',
      offeredPerSec: rate,
      seconds,
      warmUpSeconds: 3,
      connections,
      customers,
      enrolsEveryEvent: values.enrol,
      completed: result.completed,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      serverPeakRssMb: peakRssMb(pid),
      serverCpuMsPerRequest,
      ...latency,
      machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))) },
      label: values.label,
      at: new Date().toISOString(),
    };
    log(`http-ingest: ${JSON.stringify(figures)}`);
    const out = values.out as string;
    const all = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    all[`${values.enrol ? 'httpIngestEnrolling' : 'httpIngest'}${values.paced ? 'Paced' : ''}`] = figures;
    writeFileSync(out, `${JSON.stringify(all, null, 2)}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
