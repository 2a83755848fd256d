// `pnpm --filter @siyu/runtime exec tsx bench/http-ingest.ts`: the front door a real integrator
// uses — `events.ingest`, ONE event per request — on the real server process (src/main.ts, SQLite
// file), loaded by autocannon on the same machine at a fixed offered rate. Each event is a page view
// of a known customer: the request resolves the customer, stores the event once and finds nothing
// that reacts to it (most events a shop sends start nothing). With --enrol, a live journey enrols on
// every one of them (event entry → SMS → exit): each request also starts a run, and the engine
// sends an SMS per request in the same process.
// Usage: http-ingest.ts [--rate 2000] [--seconds 20] [--connections 100] [--customers 20000] [--enrol]
//                       [--label latest] [--out ../../bench/results.json]
// Writes `ingestHttpReqPerSec`, `ingestHttpP99Ms`, errors and the server's peak RSS under `httpIngest`.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import BetterSqlite3 from 'better-sqlite3';
import { seedBacklog } from '../testing/backlog.ts';
import { graphOf, publishJourney } from '../testing/fixtures.ts';
import { spawnServer, waitForHealth } from '../testing/server-process.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '100' },
    customers: { type: 'string', default: '20000' },
    enrol: { type: 'boolean', default: false },
    label: { type: 'string', default: 'latest' },
    out: { type: 'string', default: new URL('../../../bench/results.json', import.meta.url).pathname },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const customers = Number(values.customers);
const log = (msg: string) => process.stdout.write(`${msg}\n`);

/** The server's peak resident memory so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
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
    const load = (duration: number) =>
      autocannon({
        url: `${server.url}/trpc/events.ingest`,
        connections,
        overallRate: rate,
        duration,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                id: randomUUID(),
                type: 'page.viewed',
                customerId: customerIds[Math.floor(Math.random() * customerIds.length)],
                occurredAt: new Date().toISOString(),
              }),
            }),
          },
        ],
      });
    // Warm-up, not counted: the server compiles (tsx) and loads lazily what the first requests touch.
    log('http-ingest: warming up for 3 s…');
    await load(3);
    log(`http-ingest: ${rate} requests/s offered for ${seconds} s over ${connections} connections…`);
    const result = await load(seconds);
    const figures = {
      ingestHttpReqPerSec: Math.round(result.requests.average),
      ingestHttpP99Ms: result.latency.p99,
      ingestHttpP50Ms: result.latency.p50,
      offeredPerSec: rate,
      seconds,
      warmUpSeconds: 3,
      connections,
      customers,
      enrolsEveryEvent: values.enrol,
      completed: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      serverPeakRssMb: peakRssMb(server.child.pid as number),
      machine: { cpus: cpus().length, loadavg: loadavg().map((l) => Number(l.toFixed(2))) },
      label: values.label,
      at: new Date().toISOString(),
    };
    log(`http-ingest: ${JSON.stringify(figures)}`);
    const out = values.out as string;
    const all = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
    all[values.enrol ? 'httpIngestEnrolling' : 'httpIngest'] = figures;
    writeFileSync(out, `${JSON.stringify(all, null, 2)}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
