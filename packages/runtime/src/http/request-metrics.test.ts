import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics/registry.ts';
import { requestMetrics } from './request-metrics.ts';

describe('request latency labels', () => {
  it('use the route pattern, never the raw URL: codes, ids and unknown procedures stay out of the labels', async () => {
    const metrics = createMetrics({ defaults: false });
    const app = express();
    app.use(requestMetrics(metrics, (name) => name === 'journeys.list'));
    const hooks = express.Router();
    hooks.post('/:package/callback', (_req, res) => res.send('ok'));
    app.use('/webhooks', hooks);
    app.get('/r/:code', (_req, res) => res.send('go'));
    app.use('/trpc', (_req, res) => res.json({}));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/r/SECRETCODE1`);
      await fetch(`${base}/webhooks/sms/callback`, { method: 'POST' });
      await fetch(`${base}/trpc/journeys.list?input=%7B%7D`);
      await fetch(`${base}/trpc/made.up.name`);
      await fetch(`${base}/trpc/journeys.list,journeys.get`);
      await fetch(`${base}/no/such/page/12345`);
    } finally {
      server.close();
    }
    const text = await metrics.registry.metrics();
    const routes = [...text.matchAll(/_count\{[^}]*route="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(routes).toEqual([
      '(unmatched)',
      '/r/:code',
      '/trpc/(batch)',
      '/trpc/(unknown)',
      '/trpc/journeys.list',
      '/webhooks/:package/callback',
    ]);
    expect(text).not.toMatch(/SECRETCODE1|made\.up|12345/);
  });
});
