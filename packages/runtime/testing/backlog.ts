// A database with work already due, as after a restart or a big audience run: customers enrolled in
// a live journey whose first node sends an SMS (sandbox provider), so every enrolment left one
// pending outbox effect that the engine has not run yet. The liveness bench and the start-up test
// start the real server on it.

import { runtimeNodes } from '../src/assembly/default-nodes.ts';
import { createApiKey } from '../src/auth/api-keys.ts';
import { type Database, openDatabase } from '../src/db/database.ts';
import { isoDate } from '../src/db/iso-date.ts';
import { createEngine } from '../src/engine/engine.ts';
import { createLogger } from '../src/logger.ts';
import { addCustomers, graphOf, publishJourney } from './fixtures.ts';

export const BACKLOG_JOURNEY = 'backlog';
export const AUDIENCE_JOURNEY = 'campaign';
/** Every seeded customer carries it: the audience journey selects them by it. */
export const BACKLOG_TAG = 'bench';

const SMS_CONFIG = {
  templateCode: 'SMS_000001',
  signName: '小雅美妆',
  content: '您的会员权益已到账',
  params: {},
  kind: 'notice',
};
const SETTINGS = { quietHours: { enabled: false }, reEntry: { policy: 'once' as const } };

/** entry → SMS (a notice, so no unsubscribe text is needed) → exit: one effect per customer. */
export function backlogJourney() {
  return graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      ['sms', 'sms.send', SMS_CONFIG],
      ['exit', 'core.exit', {}],
    ],
    [
      ['entry', 'next', 'sms'],
      ['sms', 'sent', 'exit'],
    ],
    SETTINGS,
  );
}

/** The same, entered by an audience run over every seeded customer (the engine enrols them itself). */
export function audienceJourney() {
  const filter = { match: 'all', conditions: [{ field: 'tags', op: 'hasTag', value: BACKLOG_TAG }] };
  return graphOf(
    [
      ['entry', 'core.audienceEntry', { filter, schedule: 'once' }],
      ['sms', 'sms.send', SMS_CONFIG],
      ['exit', 'core.exit', {}],
    ],
    [
      ['entry', 'next', 'sms'],
      ['sms', 'sent', 'exit'],
    ],
    SETTINGS,
  );
}

/** Pending outbox effects (what the engine still has to run). */
export const PENDING_EFFECTS_SQL = "SELECT count(*) AS n FROM OutboxEffect WHERE status = 'pending'";
/** Outbox effects the engine has run (sent, skipped or failed for good). */
export const FINISHED_EFFECTS_SQL = "SELECT count(*) AS n FROM OutboxEffect WHERE status <> 'pending'";

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

/** Enrols customers in the backlog journey (or another) in chunks: one pending effect each, not run. */
export async function enrollBacklog(
  db: Database,
  customerIds: readonly string[],
  journeyId: string = BACKLOG_JOURNEY,
): Promise<void> {
  const engine = idleEngine(db);
  for (let i = 0; i < customerIds.length; i += 1000) await engine.enrollMany(journeyId, customerIds.slice(i, i + 1000));
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
    const tag = db.sqlite.prepare('INSERT INTO CustomerTag (customerId, tag, createdAt) VALUES (?, ?, ?)');
    for (let i = 0; i < customers; i += 1000) {
      const ids = addCustomers(db.sqlite, 'b', i, Math.min(customers, i + 1000));
      db.sqlite.transaction(() => {
        for (const id of ids) tag.run(id, BACKLOG_TAG, isoDate(Date.now()));
      })();
      customerIds.push(...ids);
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
