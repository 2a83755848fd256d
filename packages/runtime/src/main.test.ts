import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PENDING_EFFECTS_SQL, seedBacklog } from '../testing/backlog.ts';
import { type ServerProcess, spawnServer, waitForHealth } from '../testing/server-process.ts';

const BACKLOG = 1500;
let dir: string;
let server: ServerProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-main-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('pnpm start after a restart with work due', () => {
  it('answers /health before the backlog is worked, then works it', async () => {
    const dbPath = join(dir, 'siyu.db');
    await seedBacklog(dbPath, BACKLOG);
    const reader = new BetterSqlite3(dbPath, { readonly: true });
    const pending = () => (reader.prepare(PENDING_EFFECTS_SQL).get() as { n: number }).n;
    try {
      server = await spawnServer(dbPath);
      const first = await waitForHealth(server, 45_000);
      // Before, the engine drained everything before the port answered (1,500 SMS here; 24 s for
      // 20,000): WeCom and SMS callbacks arriving meanwhile timed out.
      const atFirstAnswer = pending();
      expect(atFirstAnswer).toBeGreaterThan(0);
      const engine = first.body.engine as { effectsDue: number; lagMs: number };
      expect(engine.effectsDue).toBeGreaterThan(0);
      expect(engine.lagMs).toBeGreaterThan(0);
      // The engine does start: the backlog goes down while the server keeps answering.
      const deadline = Date.now() + 30_000;
      while (pending() >= atFirstAnswer && Date.now() < deadline) {
        await waitForHealth(server, 5_000);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(pending()).toBeLessThan(atFirstAnswer);
    } finally {
      reader.close();
    }
  }, 90_000);
});
