// A real server stack for router and HTTP tests: temp SQLite (or, with `backend: 'postgresql'`, a
// fresh PostgreSQL database), the real engine on a manual clock, the sample node package in
// testing/ (real node definitions + sandbox executors over the database).
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeRegistry, type JourneyGraphInput, type NodeExecutor } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import { graphOf } from '../../testing/fixtures.ts';
import { sampleExecutorsOn } from '../../testing/sample-nodes.ts';
import { hashPassword } from '../auth/password.ts';
import type { Role } from '../auth/roles.ts';
import { newOperatorId, toPrincipal } from '../auth/sessions.ts';
import type { AppDatabase } from '../db/app-database.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { openPostgresDatabase, type PostgresDatabase } from '../db/postgres-database.ts';
import { freshPostgresDatabase } from '../db/postgres-for-tests.test-helper.ts';
import { type Clock, ManualClock } from '../engine/api.ts';
import { createEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import { createNodeRegistryForRuntime, createServerPackages, executorsOf } from '../node-packages/registry.ts';
import { createContext, type Principal, type ServerDeps } from './context.ts';
import { createCaller } from './router.ts';

export const registry = createNodeRegistry([samplePackage]);
const logger = createLogger('silent');

export function engineFor(db: AppDatabase, clock: Clock) {
  return createEngine({ db, registry, executors: sampleExecutorsOn(db), clock, logger });
}

/** The product's own node packages (core, sms, wecom, coupons) in sandbox mode, for routers that need them. */
function productEngineFor(db: Database, clock: Clock) {
  const serverPackages = createServerPackages({ db, clock, logger });
  return createEngine({
    db,
    registry: productRegistry,
    executors: executorsOf(serverPackages),
    jobs: serverPackages.flatMap((p) => p.jobs ?? []),
    clock,
    logger,
  });
}
const productRegistry = createNodeRegistryForRuntime();

/** The harness's database: SQLite (default) or PostgreSQL (`backend: 'postgresql'`). */
export type HarnessBackend = 'sqlite' | 'postgresql';

export interface Harness<D extends AppDatabase = Database> {
  db: D;
  clock: ManualClock;
  deps: ServerDeps;
  engine: ReturnType<typeof engineFor>;
  as(role: Role | null): ReturnType<typeof createCaller>;
  asPrincipal(principal: Principal | null): ReturnType<typeof createCaller>;
  principals: Record<Role, Principal>;
  close(): Promise<void>;
}

/**
 * `nodes: 'sample'` (default) runs the sample package (testing/sample-nodes.ts); `'product'` the shipped packages
 * with their sandbox providers.
 */
export interface HarnessOptions {
  nodes?: 'sample' | 'product';
  /** The product's node definitions run by these executors instead (e.g. SMS against a provider fake). */
  productExecutors?: (db: Database, clock: Clock) => NodeExecutor[];
  /**
   * `'postgresql'`: a fresh PostgreSQL database for this harness (dropped by close), the engine on
   * the PostgreSQL store, the sample executors and the product's node packages (`nodes: 'product'`,
   * `productExecutors`) through the SQL port.
   */
  backend?: HarnessBackend;
}

export async function createHarness(options?: HarnessOptions & { backend?: 'sqlite' }): Promise<Harness>;
export async function createHarness(
  options: HarnessOptions & { backend: 'postgresql' },
): Promise<Harness<PostgresDatabase>>;
export async function createHarness(options?: HarnessOptions): Promise<Harness<AppDatabase>>;
export async function createHarness(options: HarnessOptions = {}): Promise<Harness<AppDatabase>> {
  const cleanups: Array<() => Promise<void>> = [];
  let db: AppDatabase;
  if (options.backend === 'postgresql') {
    const database = await freshPostgresDatabase('harness', cleanups);
    try {
      db = await openPostgresDatabase(database.url, { poolSize: 4 });
    } catch (error) {
      await database.drop();
      throw error;
    }
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'siyu-server-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    db = await openDatabase(join(dir, 'test.db'));
  }
  // Routers are typed on SQLite's Database; on PostgreSQL they get the PostgresDatabase (same
  // `prisma`, `sql`, `dialect`) and narrow on `dialect` as they are ported.
  const asSqlite = db as Database;
  const clock = new ManualClock();
  const custom = options.productExecutors;
  const build = custom
    ? (d: Database, c: Clock) =>
        createEngine({ db: d, registry: productRegistry, executors: custom(d, c), clock: c, logger })
    : options.nodes === 'product'
      ? productEngineFor
      : engineFor;
  const engine = build(asSqlite, clock);
  const deps: ServerDeps = {
    db: asSqlite,
    engine,
    registry: options.nodes === 'product' || custom ? productRegistry : registry,
    clock,
    publicUrl: 'http://localhost:3000',
    createSimulation: (simDb, simClock) => build(simDb, simClock),
  };
  const principals = {} as Record<Role, Principal>;
  const passwordHash = await hashPassword('secret-password');
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    const op = await db.prisma.operator.create({
      data: { id: newOperatorId(), username: role, displayName: role, passwordHash, role },
    });
    principals[role] = toPrincipal(op);
  }
  const asPrincipal = (p: Principal | null) => createCaller(createContext(deps, p));
  return {
    db,
    clock,
    deps,
    engine,
    principals,
    asPrincipal,
    as: (role) => asPrincipal(role ? principals[role] : null),
    async close() {
      await engine.stop();
      await db.close();
      for (const cleanup of cleanups.splice(0)) await cleanup();
    },
  };
}

/** api entry → welcome → wait 1 day → exit: small enough to reason about counts. */
export function welcomeJourney(): JourneyGraphInput {
  return graphOf(
    [
      ['entry', 'sample.apiEntry', {}],
      ['welcome', 'sample.send', { channel: 'wecom', text: '欢迎！' }],
      ['wait', 'sample.wait', { duration: { amount: 1, unit: 'days' } }],
      ['exit', 'sample.exit', { reason: 'done' }],
    ],
    [
      ['entry', 'next', 'welcome'],
      ['welcome', 'sent', 'wait'],
      ['wait', 'next', 'exit'],
    ],
    { quietHours: { enabled: false } },
  );
}

export async function addCustomer(
  h: { db: Pick<AppDatabase, 'prisma'> },
  id: string,
  opts: { phone?: string; tags?: string[]; attributes?: Record<string, unknown> } = {},
) {
  await h.db.prisma.customer.create({
    data: {
      id,
      displayName: id,
      attributes: JSON.stringify(opts.attributes ?? {}),
      identities: { create: opts.phone ? [{ kind: 'phone', value: opts.phone }] : [] },
      tags: { create: (opts.tags ?? []).map((tag) => ({ tag })) },
    },
  });
}

/** Serves `app` (an express app) on a free loopback port: the server, to close, and its base URL. */
export async function listenOnLoopback(app: {
  listen(port: number, host: string, ready: () => void): Server;
}): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
