// One playbook example on the real product: a temp SQLite database migrated like `pnpm start`
// does, the runtime's own node assembly (core, sms, wecom, coupons) with their sandbox providers,
// the tRPC API as an operator, the express app on a local port (webhooks, tracked redirects), and
// a ManualClock the simulation moves. The journey is loaded from examples/<folder>/journey.json by
// the same template loader `pnpm start` uses, then published through the API.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  type AppDatabase,
  assembleServer,
  createApp,
  createCaller,
  createContext,
  createLogger,
  type DurableEngine,
  type IngestOutcome,
  loadExamples,
  ManualClock,
  openDatabase,
  type Principal,
  runtimeNodes,
  type SqlValue,
} from '@siyu/runtime';
import {
  createScratchDatabase,
  migratedTemplate,
  openPostgresDatabase,
  postgresServerUrl,
} from '@siyu/runtime/testing/postgres';
import type { JourneyEventInput, NodeRegistry } from '@siyu/shared';

/** The examples folder (this kit lives in examples/simulation). */
export const EXAMPLES_DIR = resolve(dirname(new URL(import.meta.url).pathname), '..');

export type Api = ReturnType<typeof createCaller>;

export interface Playbook {
  db: AppDatabase;
  clock: ManualClock;
  engine: DurableEngine;
  registry: NodeRegistry;
  /** The tRPC API, called as an operator (what the editor does). */
  api: Api;
  /** http://127.0.0.1:<port> of the running app (webhooks, /r/<code> redirects). */
  baseUrl: string;
  journeyId: string;
  /** Publishes the loaded template (after the channels, stocks and customers it needs exist). */
  publish(): Promise<string>;
  /**
   * Moves the clock to `at`, stopping at every durable timer, pending or deferred effect and
   * every whole hour (audience schedules) on the way, ticking the engine at each: waits end
   * exactly when they are due, as on the real clock.
   */
  advanceTo(at: number): Promise<void>;
  /** Ingests events the way the webhook router does (in order, one group commit). */
  ingest(events: readonly JourneyEventInput[], source: string): IngestOutcome[] | Promise<IngestOutcome[]>;
  /** Rows of a query written once for both databases (`?` placeholders, see db/sql-dialect.ts). */
  rows<T>(query: string, ...params: SqlValue[]): Promise<T[]>;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const logger = createLogger('silent');

/** Where the playbook's database lives: a SQLite file (default) or a fresh PostgreSQL database. */
export type PlaybookBackend = 'sqlite' | 'postgresql';

export async function startPlaybook(
  folder: string,
  startAt: number,
  backend: PlaybookBackend = 'sqlite',
): Promise<Playbook> {
  // A memory-backed temp dir where there is one: these runs commit thousands of transactions and
  // their durability is not what is under test (the crash test covers it), so fsync need not cost.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `playbook-${folder}-`));
  // On PostgreSQL: a scratch copy of the run's migrated template database, dropped by close.
  const pgServer = backend === 'postgresql' ? await postgresServerUrl() : undefined;
  const scratch = pgServer
    ? await createScratchDatabase(pgServer, folder, { template: await migratedTemplate(pgServer) })
    : undefined;
  const db: AppDatabase = scratch ? await openPostgresDatabase(scratch.url) : await openDatabase(join(dir, 'siyu.db'));
  const clock = new ManualClock(startAt);
  const { deps, engine, serverPackages } = assembleServer({
    db,
    nodesFor: runtimeNodes(logger),
    clock,
    logger,
    publicUrl: 'http://127.0.0.1',
    wecom: null,
    // The simulation sends its callbacks one at a time: a group-commit window would only add its
    // wait to each (a third of a playbook's run time when it was 2 ms).
    ingestWindowMs: 0,
  });

  const operator = await db.prisma.operator.create({
    data: { id: 'op_playbook', username: 'playbook', displayName: '运营', passwordHash: '-', role: 'operator' },
  });
  const principal: Principal = {
    kind: 'operator',
    id: operator.id,
    username: operator.username,
    displayName: operator.displayName,
    role: 'operator',
  };
  const api = createCaller(createContext(deps, principal));

  // Thousands of simulated customers scan and click from one address (127.0.0.1): the per-address
  // flood limits of a real deployment would count them as one client.
  const publicRateLimits = { linksPerMinute: 1_000_000, webhooksPerMinute: 1_000_000 };
  const app = createApp({
    db,
    editorDist: join(dir, 'no-editor'),
    api: deps,
    serverPackages,
    logger,
    publicRateLimits,
  });
  const server: Server = await new Promise((done) => {
    const s = app.listen(0, '127.0.0.1', () => done(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  deps.publicUrl = baseUrl;

  // Only this example in a folder of its own, so the other playbooks do not enrol our customers.
  const templates = join(dir, 'examples');
  mkdirSync(join(templates, folder), { recursive: true });
  copyFileSync(join(EXAMPLES_DIR, folder, 'journey.json'), join(templates, folder, 'journey.json'));
  const loaded = await loadExamples(db, deps.registry, templates);
  if (loaded.errors.length > 0 || loaded.loaded.length !== 1) {
    throw new Error(`example ${folder} did not load: ${JSON.stringify(loaded.errors)}`);
  }
  const journey = await db.prisma.journey.findFirstOrThrow({ where: { templateKey: `example:${folder}` } });

  const nextWake = async () =>
    (
      await db.sql.get<{ at: number | null }>(
        `SELECT min(at) AS at FROM (
           SELECT min(dueAt) AS at FROM Timer
           UNION ALL SELECT min(nextAttemptAt) FROM OutboxEffect WHERE status = 'pending') AS wakes`,
      )
    )?.at;

  return {
    db,
    clock,
    engine,
    registry: deps.registry,
    api,
    baseUrl,
    journeyId: journey.id,
    async publish() {
      const published = await api.journeys.publish({ id: journey.id, note: 'playbook simulation' });
      await engine.tick();
      return published.versionId;
    },
    async advanceTo(at) {
      for (;;) {
        const wake = await nextWake();
        const nextHour = (Math.floor(clock.now() / HOUR) + 1) * HOUR;
        const step = Math.min(wake ?? Number.POSITIVE_INFINITY, nextHour);
        if (step > at) break;
        clock.set(Math.max(step, clock.now()));
        await engine.tick();
      }
      clock.set(Math.max(at, clock.now()));
      await engine.tick();
    },
    ingest(events, source) {
      return engine.ingestMany(events, source);
    },
    rows<T>(query: string, ...params: SqlValue[]) {
      return db.sql.all<T>(query, params);
    },
    async close() {
      await engine.stop();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await db.close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
