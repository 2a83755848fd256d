import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineNode, type ExtensionDeps, t } from '@siyu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runtimeNodes } from '../assembly/default-nodes.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { ManualClock } from '../engine/api.ts';
import { createLogger } from '../logger.ts';
import type { DiscoveredPackage } from './discovery.ts';

// A third-party package that calls its service through deps.fetch, and a local server that counts
// what reaches it. Simulations must reach nothing, whether or not the package looks at deps.sandbox.
let service: Server;
let requests = 0;
let url = '';
let db: Database;
const dir = mkdtempSync(join(tmpdir(), 'siyu-ext-sandbox-'));

beforeAll(async () => {
  service = createServer((_req, res) => {
    requests++;
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(service.address() as AddressInfo).port}/notify`;
  db = await openDatabase(join(dir, 'ext.db'));
});
afterAll(async () => {
  await db.close();
  await new Promise<void>((resolve) => service.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const seen: ExtensionDeps[] = [];
const discovered: DiscoveredPackage = {
  name: '@fx/notify',
  dir,
  nodePackage: {
    name: 'fx-notify',
    label: t('通知', 'Notify'),
    nodes: [
      defineNode({
        type: 'fx-notify.send',
        version: 1,
        category: 'integration',
        icon: 'bell',
        label: t('通知', 'Notify'),
        config: z.object({}),
        defaultConfig: {},
        outputs: () => [{ id: 'next', label: t('下一步', 'Next') }],
        effect: { failurePort: 'next' },
      }),
    ],
  },
  createServer: (deps) => {
    seen.push(deps);
    return { name: 'fx-notify', executors: [] };
  },
};

describe('extension packages in simulations', () => {
  it('are told they run in a simulation, and their fetch reaches nothing', async () => {
    const logger = createLogger('silent');
    const clock = new ManualClock();
    runtimeNodes(logger, [discovered])(db, clock, { sandbox: true });
    runtimeNodes(logger, [discovered])(db, clock);
    const [simulated, live] = seen;
    expect(simulated?.sandbox).toBe(true);
    expect(live?.sandbox).toBe(false);

    await expect(simulated?.fetch(url, { method: 'POST' })).rejects.toThrow(
      `package fx-notify may not call ${url} in a simulation`,
    );
    expect(requests).toBe(0);
    // Control: outside a simulation the same call reaches the service.
    expect(await (await (live as ExtensionDeps).fetch(url)).json()).toEqual({ ok: true });
    expect(requests).toBe(1);
  });
});
