// Child process for effect-crash.test.ts: a third-party package whose node calls a provider
// through deps.effects.call, and the shipped core.webhook, run by the real engine on a real clock
// against a SQLite file until the parent SIGKILLs it mid-call, or (with "finish") until no
// customer is left to move. Every start is a restart: it seeds only what is missing.
import {
  defineExecutor,
  defineNode,
  defineServerPackage,
  type EffectLookup,
  HttpUrlSchema,
  RetryableError,
  t,
} from '@siyu/shared';
import { z } from 'zod';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { runtimeNodes } from '../assembly/default-nodes.ts';
import { openDatabase } from '../db/database.ts';
import { systemClock } from '../engine/api.ts';
import { customersStillMoving, runCrashChild, runUntilKilledOrSettled } from '../engine/crash-child.test-helper.ts';
import { createEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import type { DiscoveredPackage } from './discovery.ts';

const [dbPath, receiver, mode, bulkArg] = process.argv.slice(2) as [string, string, 'kill' | 'finish', string?];
/** With a count: that many customers through one "ask the provider" call (the kill-again-and-again run). */
const bulk = bulkArg ? Number(bulkArg) : 0;

const Delivery = z.object({ deliveryId: z.string() });
type Delivery = z.output<typeof Delivery>;

/** A provider node: POST <url>/deliveries with an Idempotency-Key; with `lookup`, GET <url>/deliveries/<key>. */
const deliver = defineNode({
  type: 'fx-deliver.send',
  version: 1,
  category: 'integration',
  icon: 'send',
  label: t('投递', 'Deliver'),
  config: z.object({ url: HttpUrlSchema, lookup: z.boolean() }),
  defaultConfig: { url: 'http://127.0.0.1/', lookup: false },
  outputs: [{ id: 'sent', label: t('已投递', 'Delivered') }],
  effect: {},
});

export const fxDeliver: DiscoveredPackage = {
  name: '@fx/deliver',
  dir: import.meta.dirname,
  nodePackage: { name: 'fx-deliver', label: t('投递', 'Deliver'), nodes: [deliver] },
  createServer: defineServerPackage((deps) => ({
    name: 'fx-deliver',
    executors: [
      defineExecutor(deliver, async (ctx) => {
        const { config } = ctx;
        // The provider's own record of a call, by the idempotency key it was given.
        const lookup = async (call: {
          idempotencyKey: string;
          signal: AbortSignal;
        }): Promise<EffectLookup<Delivery>> => {
          const url = `${config.url}/deliveries/${encodeURIComponent(call.idempotencyKey)}`;
          const res = await deps.fetch(url, { signal: call.signal });
          if (res.status === 404) return { status: 'notSent' };
          if (!res.ok) throw new Error(`lookup answered ${res.status}`);
          return { status: 'sent', result: Delivery.parse(await res.json()) };
        };
        const { value, via } = await deps.effects.call(ctx, {
          schema: Delivery,
          send: async ({ idempotencyKey, signal }) => {
            const res = await deps.fetch(`${config.url}/deliveries`, {
              method: 'POST',
              headers: { 'idempotency-key': idempotencyKey, 'content-type': 'application/json' },
              body: JSON.stringify({ customerId: ctx.customer.id }),
              signal,
            });
            if (!res.ok) throw new RetryableError(`provider answered ${res.status}`);
            return Delivery.parse(await res.json());
          },
          lookup: config.lookup ? lookup : undefined,
        });
        return { port: 'sent', data: { ...value, via } };
      }),
    ],
  })),
};

/** One journey per case: entry → the call → done. */
export const CASES = {
  /** The provider got the call, its answer died with the process; it can be asked. */
  lookupKept: ['fx-deliver.send', { url: `${receiver}/kept`, lookup: true }, 'sent'],
  /** The call never reached the provider; it can be asked. */
  lookupLost: ['fx-deliver.send', { url: `${receiver}/lost`, lookup: true }, 'sent'],
  /** The provider got the call and cannot be asked. */
  park: ['fx-deliver.send', { url: `${receiver}/kept`, lookup: false }, 'sent'],
  /** The shipped webhook: the receiver de-duplicates by Idempotency-Key. */
  hook: ['core.webhook', { url: `${receiver}/hook`, timeoutSeconds: 30 }, 'ok'],
} as const;

const journeyOf = (type: string, config: Record<string, unknown>, port: string) =>
  graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      ['call', type, config],
      ['done', 'core.exit', { reason: 'done' }],
    ],
    [
      ['entry', 'next', 'call'],
      ['call', port, 'done'],
    ],
    { quietHours: { enabled: false } },
  );

/** Journeys and customers, once: every start after the first is a restart. */
function seed(sqlite: import('better-sqlite3').Database): Array<[journey: string, customer: string]> {
  const cases: Array<[string, string]> = bulk
    ? Array.from({ length: bulk }, (_, i) => ['bulk', `b${i}`])
    : Object.keys(CASES).map((id) => [id, `c-${id}`]);
  if (!sqlite.prepare('SELECT 1 FROM Journey').get()) {
    const now = new Date().toISOString().replace('Z', '+00:00');
    const customer = sqlite.prepare(
      "INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)",
    );
    sqlite.transaction(() => {
      if (bulk) {
        publishJourney(sqlite, 'bulk', journeyOf('fx-deliver.send', { url: `${receiver}/bulk`, lookup: true }, 'sent'));
      } else {
        for (const [id, [type, config, port]] of Object.entries(CASES))
          publishJourney(sqlite, id, journeyOf(type, config, port));
      }
      for (const [, id] of cases) customer.run(id, now, now);
    })();
  }
  return cases;
}

async function main() {
  const db = await openDatabase(dbPath);
  const { sqlite } = db;
  const clock = systemClock;
  const logger = createLogger('error');
  const { registry, serverPackages } = runtimeNodes(logger, [fxDeliver])(db, clock);
  const cases = seed(sqlite);
  const engine = createEngine({
    db,
    registry,
    executors: serverPackages.flatMap((p) => [...p.executors]),
    clock,
    logger,
    pollMs: 20,
  });
  const moving = customersStillMoving(sqlite);
  engine.start();
  const enrolled = new Set(
    sqlite
      .prepare('SELECT customerId FROM Instance')
      .all()
      .map((r) => (r as { customerId: string }).customerId),
  );
  for (const journey of new Set(cases.map(([j]) => j))) {
    const waiting = cases.filter(([j, c]) => j === journey && !enrolled.has(c)).map(([, c]) => c);
    if (waiting.length) await engine.enrollMany(journey, waiting);
  }
  await runUntilKilledOrSettled({ engine, db, mode, settled: () => moving() === 0, everyMs: 20 });
}

runCrashChild(main);
