// The paced load generator against a local server: every request sent once, at the pace asked,
// refusals and dropped connections counted as such (not as answers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pacedLoad } from './paced-load.ts';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function listen(handler: http.RequestListener): Promise<string> {
  const created = http.createServer(handler);
  server = created;
  await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(created.address() as AddressInfo).port}/ingest`;
}

describe('pacedLoad', () => {
  it('sends rate × seconds requests, spread over the time, and counts 4xx answers as non-2xx', async () => {
    const bodies: string[] = [];
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        bodies.push(body);
        res.statusCode = bodies.length % 10 === 0 ? 400 : 200;
        res.end('{}');
      });
    });
    let n = 0;
    const started = performance.now();
    const result = await pacedLoad({
      url,
      rate: 200,
      seconds: 1,
      connections: 10,
      headers: { 'content-type': 'application/json' },
      body: () => JSON.stringify({ n: n++ }),
    });
    const tookMs = performance.now() - started;
    expect(result).toMatchObject({ sent: 200, completed: 200, errors: 0, non2xx: 20 });
    expect(new Set(bodies).size).toBe(200);
    // Paced, not a burst: the last request left about a second after the first.
    expect(tookMs).toBeGreaterThan(900);
    expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
  });

  it('counts a connection the server drops as an error, not an answer', async () => {
    const url = await listen((req) => req.socket.destroy());
    const result = await pacedLoad({ url, rate: 20, seconds: 0.5, connections: 2, headers: {}, body: () => '{}' });
    expect(result).toMatchObject({ sent: 10, completed: 0, errors: 10 });
  });
});
