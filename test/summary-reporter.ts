import type { Reporter, TestModule } from 'vitest/node';
import { writeScreenshotGallery } from './screenshot-gallery.ts';

/**
 * Prints one plain closing line, "tests: N passed, N failed, N skipped", after vitest's own
 * summary, so CI logs (and the workplace's CI reader) show at a glance that tests ran; before it,
 * where the browser tests' screenshots went (an index.html gallery of them).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      // A file that failed to load has no tests but must still count as a failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++;
    }
    const gallery = writeScreenshotGallery();
    if (gallery) process.stdout.write(`\nscreenshots: ${gallery}`);
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
