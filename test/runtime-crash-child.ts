// Child process for runtime-crash.test.ts: runs the durable engine on a real clock against a
// SQLite file until it is SIGKILLed, or (with "finish") until every customer's run has ended.
// Every start is a restart: it seeds only what is missing and resumes from the database.
import { createEngine, createLogger, openDatabase, systemClock } from '@siyu/runtime';
import {
  addCustomers,
  graphOf,
  publishJourney,
  runCrashChild,
  runUntilKilledOrSettled,
  sampleExecutors,
  samplePackage,
} from '@siyu/runtime/testing';
import { createNodeRegistry } from '@siyu/shared';

const [dbPath, customersArg, mode] = process.argv.slice(2);
const customers = Number(customersArg);

/** welcome → tag → wait 1 s → reminder → coupon → wait ≤ 3 s for an order → repurchase tag | exit. */
export const crashJourney = graphOf(
  [
    ['entry', 'sample.apiEntry', {}],
    ['welcome', 'sample.send', { channel: 'wecom', text: '欢迎' }],
    ['tagNew', 'sample.tag', { add: ['new'] }],
    ['wait', 'sample.wait', { duration: { amount: 1, unit: 'seconds' } }],
    ['reminder', 'sample.send', { channel: 'wecom', text: '别忘了优惠' }],
    ['coupon', 'sample.coupon', { stock: 'welcome' }],
    ['waitOrder', 'sample.waitForEvent', { event: 'order.placed', timeout: { amount: 3, unit: 'seconds' } }],
    ['repurchase', 'sample.tag', { add: ['repurchase'] }],
    ['exit', 'sample.exit', {}],
  ],
  [
    ['entry', 'next', 'welcome'],
    ['welcome', 'sent', 'tagNew'],
    ['tagNew', 'next', 'wait'],
    ['wait', 'next', 'reminder'],
    ['reminder', 'sent', 'coupon'],
    ['coupon', 'issued', 'waitOrder'],
    ['waitOrder', 'matched', 'repurchase'],
    ['waitOrder', 'timeout', 'exit'],
  ],
  { quietHours: { enabled: false } },
);

async function main() {
  const db = await openDatabase(dbPath as string);
  const sqlite = db.sqlite;
  if (!sqlite.prepare("SELECT 1 FROM Journey WHERE id = 'crash'").get()) {
    sqlite.transaction(() => {
      publishJourney(sqlite, 'crash', crashJourney);
      addCustomers(sqlite, 'k', 0, customers);
    })();
  }
  const engine = createEngine({
    db,
    registry: createNodeRegistry([samplePackage]),
    executors: sampleExecutors(sqlite),
    clock: systemClock,
    logger: createLogger('warn'),
    pollMs: 20,
  });
  const notEnrolled = sqlite.prepare<[], { id: string }>(
    'SELECT id FROM Customer WHERE id NOT IN (SELECT customerId FROM Instance) ORDER BY id LIMIT 100',
  );
  // Even-numbered customers order while they wait; the event id is stable, so re-sending after a
  // restart is de-duplicated.
  const waitingBuyers = sqlite.prepare<[], { customerId: string }>(
    "SELECT customerId FROM Instance WHERE status = 'active' AND nodeId = 'waitOrder' AND CAST(substr(customerId, 2) AS INTEGER) % 2 = 0",
  );
  const active = sqlite.prepare<[], { n: number }>("SELECT count(*) n FROM Instance WHERE status = 'active'");
  const sendOrders = () =>
    engine.ingestMany(
      waitingBuyers.all().map((r) => ({
        id: `o-${r.customerId}`,
        type: 'order.placed',
        customerId: r.customerId,
        occurredAt: new Date(),
      })),
    );
  sendOrders();
  engine.start();
  let enrolledNow = 0;
  await runUntilKilledOrSettled({
    engine,
    db,
    mode,
    // Customers are enrolled a batch at a time while the engine runs; buyers order as they wait.
    each: () => {
      const batch = notEnrolled.all().map((r) => r.id);
      if (batch.length > 0) engine.enrollMany('crash', batch);
      sendOrders();
      enrolledNow = batch.length;
    },
    settled: () => enrolledNow === 0 && active.get()?.n === 0,
    everyMs: 10,
  });
}

runCrashChild(main);
