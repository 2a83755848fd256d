// What the provider end-to-end tests (sms, wecom, coupons services) share: the stand-in entry, wait
// and end nodes so each test draws only the provider's own nodes, a scratch database, and row readers.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeRegistry, type NodePackage, type NodeRegistry, type ServerNodePackage } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import express from 'express';
import type { Database } from '../db/database.ts';
import type { JourneyEngine } from '../engine/api.ts';
import { webhookRouter } from '../http/webhooks.ts';
import type { Logger } from '../logger.ts';

/** The provider's package plus the stand-in nodes (sample.apiEntry, sample.eventEntry, sample.end, …). */
export const registryWith = (pkg: NodePackage): NodeRegistry => createNodeRegistry([pkg, samplePackage]);

export { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';

export const oneRow = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).get(...params) as Record<string, unknown>;
export const allRows = (db: Database, sql: string, ...params: unknown[]) =>
  db.sqlite.prepare(sql).all(...params) as Array<Record<string, unknown>>;

/** POSTs a JSON text the way the providers' callbacks do. */
export const postJson = (url: string, json: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json });

/** Serves the packages' webhooks on a local port like the server does; returns `http://…/webhooks`. */
export async function serveWebhooks(
  packages: readonly ServerNodePackage[],
  engine: JourneyEngine,
  logger: Logger,
  cleanups: Array<() => Promise<void>>,
  onIngested?: Parameters<typeof webhookRouter>[3],
): Promise<string> {
  const app = express().use('/webhooks', webhookRouter(packages, engine, logger, onIngested));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
}
