// `@siyu/runtime/testing`: the stand-in node package, sandbox executors and fixtures, for
// cross-package tests (the crash test) that need to drive the engine without the real nodes.
export { addCustomers, benchmarkJourney, graphOf, publishJourney } from './fixtures.ts';
export { type SandboxOptions, sampleExecutors, samplePackage } from './sample-nodes.ts';
