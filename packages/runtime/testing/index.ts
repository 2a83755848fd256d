// `@siyu/runtime/testing`: the stand-in node package, sandbox executors and fixtures, for
// cross-package tests (the crash test) that need to drive the engine without the real nodes, and
// the reports' fixed data sets (the editor's report page test seeds the server's database with them).

export { type FakeWechatPay, startFakeWechatPay } from '@siyu/nodes-coupons/testing';
// The real SMS node over the runtime's SQLite, its providers and their local fakes: the crash test
// runs it against a fake that does not de-duplicate, to count duplicate sends.
export { aliyunProvider, createSendSmsExecutor, sandboxProvider, tencentProvider } from '@siyu/nodes-sms/server';
export { type FakeSms, startFakeAliyun, startFakeTencent } from '@siyu/nodes-sms/testing';
export { samplePackage } from '@siyu/shared/testing';
// Both ends of the crash tests' child process (spawn and SIGKILL it; run the engine until killed or settled).
export {
  type CrashChild,
  customersStillMoving,
  runCrashChild,
  runUntilKilledOrSettled,
  spawnCrashChild,
} from '../src/engine/crash-child.test-helper.ts';
export { createSmsServices } from '../src/node-packages/sms-services.ts';
export { DAY, HOUR, seedAbJourney, seedChannels, T0 } from '../src/reports/fixture.test-helper.ts';
export { addCustomers, benchmarkJourney, graphOf, publishJourney } from './fixtures.ts';
export { gbkFile, xlsxFile } from './import-files.ts';
export { type SandboxOptions, sampleExecutors } from './sample-nodes.ts';
// The real server in a child process (src/main.ts), for tests that kill and restart it.
export { freePort, type ServerProcess, spawnServer, waitForHealth } from './server-process.ts';
