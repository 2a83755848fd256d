// Child process for runtime-crash-sms.test.ts: the real sms.send node, with the Aliyun provider
// pointed at the parent's fake (which does not de-duplicate), on a real clock against a SQLite file,
// until it is SIGKILLed, or (with "finish") until no customer is left to move. Every start is a
// restart: it seeds only what is missing, enrolls every customer at once (a backlog of sends in the
// outbox) and resumes from the database.
import { createEngine, createLogger, createNodeRegistryForRuntime, openDatabase, systemClock } from '@siyu/runtime';
import {
  aliyunProvider,
  createSendSmsExecutor,
  createSmsServices,
  customersStillMoving,
  graphOf,
  publishJourney,
  runCrashChild,
  runUntilKilledOrSettled,
} from '@siyu/runtime/testing';

const [dbPath, customersArg, mode, fakeUrl] = process.argv.slice(2);
const customers = Number(customersArg);

/** API entry → welcome SMS → wait 1 s → reminder SMS → exit. A failed send exits "effectFailed". */
const smsJourney = graphOf(
  [
    ['entry', 'core.apiEntry', {}],
    ['welcome', 'sms.send', { templateCode: 'SMS_1', signName: '品牌', content: '欢迎入会', params: {} }],
    ['wait', 'core.wait', { duration: { amount: 1, unit: 'seconds' } }],
    ['reminder', 'sms.send', { templateCode: 'SMS_2', signName: '品牌', content: '优惠别忘了', params: {} }],
    ['done', 'core.exit', { reason: '完成' }],
  ],
  [
    ['entry', 'next', 'welcome'],
    ['welcome', 'sent', 'wait'],
    ['wait', 'next', 'reminder'],
    ['reminder', 'sent', 'done'],
  ],
  { quietHours: { enabled: false } },
);

/** 11-digit mainland numbers ending in 7777, clear of the fake's special endings (…0001, …0002, …0005). */
export const phoneOf = (i: number) => `+86139${String(i).padStart(4, '0')}7777`;

async function main() {
  const db = await openDatabase(dbPath as string);
  const sqlite = db.sqlite;
  if (!sqlite.prepare("SELECT 1 FROM Journey WHERE id = 'sms-crash'").get()) {
    const now = new Date().toISOString().replace('Z', '+00:00');
    const customer = sqlite.prepare(
      "INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)",
    );
    const identity = sqlite.prepare(
      "INSERT INTO CustomerIdentity (kind, value, customerId, createdAt) VALUES ('phone', ?, ?, ?)",
    );
    sqlite.transaction(() => {
      publishJourney(sqlite, 'sms-crash', smsJourney);
      for (let i = 0; i < customers; i++) {
        customer.run(`s${i}`, now, now);
        identity.run(phoneOf(i), `s${i}`, now);
      }
    })();
  }
  const clock = systemClock;
  const logger = createLogger('error');
  // Aliyun's QuerySendDetails lags the send (the fake: 300 ms); 2 s is this test's settle time.
  const provider = aliyunProvider(
    { accessKeyId: 'LTAI-crash', accessKeySecret: 'crash-secret', endpoint: fakeUrl, querySettleMs: 2000 },
    fetch,
  );
  const engine = createEngine({
    db,
    registry: createNodeRegistryForRuntime(),
    executors: [createSendSmsExecutor(createSmsServices({ db, clock, logger, provider, perNumberLimit: 10 }))],
    clock,
    logger,
    pollMs: 20,
  });
  const notEnrolled = sqlite.prepare<[], { id: string }>(
    'SELECT id FROM Customer WHERE id NOT IN (SELECT customerId FROM Instance) ORDER BY id',
  );
  const moving = customersStillMoving(sqlite);
  engine.start();
  const all = notEnrolled.all().map((r) => r.id);
  if (all.length > 0) engine.enrollMany('sms-crash', all);
  await runUntilKilledOrSettled({ engine, db, mode, settled: () => moving() === 0, everyMs: 20 });
}

runCrashChild(main);
