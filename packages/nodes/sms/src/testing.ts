// Test helpers for hosts of the SMS package: local fake providers and an in-memory deps.
export { type FakeSms, startFakeAliyun, startFakeTencent } from './server/fake-providers.ts';
export { createMemorySmsDeps, MEMORY_CALLBACK_TOKEN } from './server/memory-deps.ts';
