import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { gracefulShutdown } from './shutdown.ts';

const logger = createLogger('silent');

async function listening(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('graceful shutdown', () => {
  it('answers the request in flight, waits for the engine, then closes the database and exits 0', async () => {
    const order: string[] = [];
    const { server, url } = await listening((_req, res) => setTimeout(() => res.end('done'), 150));
    const exits: number[] = [];
    const shutdown = gracefulShutdown({
      server,
      engine: {
        async stop() {
          await new Promise((r) => setTimeout(r, 50));
          order.push('engine stopped');
        },
      },
      release: () => order.push('lock released'),
      db: { close: async () => void order.push('database closed') },
      timeoutMs: 5000,
      logger,
      onStopping: () => order.push('stopping'),
      exit: (code) => exits.push(code),
    });
    // A keep-alive client with a request in flight when the signal arrives.
    const agent = new Agent({ keepAlive: true });
    const answer = new Promise<string>((resolve, reject) => {
      request(url, { agent }, (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });
    await new Promise((r) => setTimeout(r, 30));
    const done = shutdown('SIGTERM');
    void shutdown('SIGINT'); // a second signal changes nothing
    expect(await answer).toBe('done');
    await done;
    expect(order).toEqual(['stopping', 'engine stopped', 'lock released', 'database closed']);
    expect(exits).toEqual([0]);
    await expect(fetch(url)).rejects.toThrow();
    agent.destroy();
  });

  it('exits 1 when the work in flight outlasts the timeout', async () => {
    const { server } = await listening((_req, res) => res.end());
    const exits: number[] = [];
    let closed = false;
    void gracefulShutdown({
      server,
      engine: { stop: () => new Promise(() => {}) }, // a tick that never ends
      db: {
        close: async () => {
          closed = true;
        },
      },
      timeoutMs: 100,
      logger,
      exit: (code) => exits.push(code),
    })('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(exits).toEqual([1]);
    expect(closed).toBe(false);
  });
});
