// A database with work already due, as after a restart or a big audience run: customers enrolled in
// a live journey whose first node sends an SMS (sandbox provider), so every enrolment left one
// pending outbox effect that the engine has not run yet. The liveness bench and the start-up test
// start the real server on it.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { createApiKey } from '../src/auth/api-keys.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { createEngine } from '../src/engine/engine.ts';
import { PrismaClient } from '../src/generated/prisma/client.ts';
import { createLogger } from '../src/logger.ts';
import { runtimeNodes } from '../src/server/default-nodes.ts';
import { addCustomers, graphOf, publishJourney } from './fixtures.ts';

export const BACKLOG_JOURNEY = 'backlog';

/** entry → SMS (a notice, so no unsubscribe text is needed) → exit: one effect per customer. */
export function backlogJourney() {
  return graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      [
        'sms',
        'sms.send',
        { templateCode: 'SMS_000001', signName: '小雅美妆', content: '您的会员权益已到账', params: {}, kind: 'notice' },
      ],
      ['exit', 'core.exit', {}],
    ],
    [
      ['entry', 'next', 'sms'],
      ['sms', 'sent', 'exit'],
    ],
    { quietHours: { enabled: false }, reEntry: { policy: 'once' } },
  );
}

/** Pending outbox effects that are due (what the engine still has to run). */
export const PENDING_EFFECTS_SQL = "SELECT count(*) AS n FROM OutboxEffect WHERE status = 'pending'";

/** An engine over the runtime's own nodes (sandbox providers) that is never started. */
function idleEngine(db: Database) {
  const logger = createLogger('silent');
  const clock = { now: () => Date.now() };
  const nodes = runtimeNodes(logger)(db, clock);
  return createEngine({
    db,
    registry: nodes.registry,
    executors: nodes.serverPackages.flatMap((p) => p.executors),
    clock,
    logger,
    backgroundCheckpoint: false,
  });
}

/**
 * The database of a server that is running: no migrations (the schema engine's exclusive lock
 * would wait for the server), just a second writer beside it, as WAL allows.
 */
export function attachDatabase(path: string): Database {
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${path}`, timeout: 5000 }) });
  return {
    path,
    sqlite,
    prisma,
    async close() {
      await prisma.$disconnect();
      sqlite.close();
    },
    onClose() {},
  };
}

/** Enrols customers in the backlog journey in chunks: one pending effect each, not run. */
export async function enrollBacklog(db: Database, customerIds: readonly string[]): Promise<void> {
  const engine = idleEngine(db);
  // BEGIN IMMEDIATE: beside a running server a deferred transaction that read first could not
  // upgrade to a write (SQLITE_BUSY_SNAPSHOT); this one waits for the write lock up front.
  const chunk = db.sqlite.transaction((ids: string[]) => engine.enrollMany(BACKLOG_JOURNEY, ids));
  for (let i = 0; i < customerIds.length; i += 1000) chunk.immediate(customerIds.slice(i, i + 1000));
  await engine.stop();
}

export function pendingEffects(db: Pick<Database, 'sqlite'>): number {
  return (db.sqlite.prepare(PENDING_EFFECTS_SQL).get() as { n: number }).n;
}

/**
 * Seeds `customers` customers, the live backlog journey and an API key allowed to ingest events;
 * with `enroll`, every customer is enrolled, leaving `customers` pending effects the engine has not
 * run. Returns the key and the customer ids.
 */
export async function seedBacklog(
  dbPath: string,
  customers: number,
  options: { enroll: boolean } = { enroll: true },
): Promise<{ apiKey: string; customerIds: string[] }> {
  const db = await openDatabase(dbPath);
  try {
    publishJourney(db.sqlite, BACKLOG_JOURNEY, backlogJourney());
    const customerIds: string[] = [];
    for (let i = 0; i < customers; i += 1000) {
      customerIds.push(...addCustomers(db.sqlite, 'b', i, Math.min(customers, i + 1000)));
    }
    if (options.enroll) {
      await enrollBacklog(db, customerIds);
      const pending = pendingEffects(db);
      if (pending !== customers) throw new Error(`seeded ${pending} pending effects, expected ${customers}`);
    }
    const { key } = await createApiKey(db, { name: 'bench', scopes: ['events:write'] });
    return { apiKey: key, customerIds };
  } finally {
    await db.close();
  }
}
