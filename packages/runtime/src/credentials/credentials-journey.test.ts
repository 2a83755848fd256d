// Credentials end to end over the real stack (temp SQLite, the product's node packages, the real
// engine and tRPC router): an admin stores a webhook signing secret, an operator publishes a
// journey whose core.webhook node names it, a customer runs through, and a real HTTP receiver
// verifies the signature made with the stored secret. The secret's plaintext must then be nowhere
// else: not in the database file (nor its WAL), drafts, versions, API answers, audit entries or logs.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphOf } from '../../testing/fixtures.ts';
import { assembleServer } from '../assembly/assemble.ts';
import { runtimeNodes } from '../assembly/default-nodes.ts';
import { hashPassword } from '../auth/password.ts';
import { newOperatorId, toPrincipal } from '../auth/sessions.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { ManualClock } from '../engine/api.ts';
import { createEngine, type DurableEngine } from '../engine/engine.ts';
import { runTestJourney } from '../journeys/test-run.ts';
import { createNodeRegistryForRuntime, createServerPackages, executorsOf } from '../node-packages/registry.ts';
import { createContext, type ServerDeps } from '../trpc/context.ts';
import { createCaller } from '../trpc/router.ts';
import { createCredentialStore } from './store.ts';

const SECRET = 'dingtalk-SEC-7f3a9c1e5b-very-secret';
let receiver: Server;
let receiverUrl = '';
const verified: string[] = [];
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const ts = String(req.headers['x-siyu-timestamp']);
      const expected = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
      if (req.headers['x-siyu-signature'] !== expected) return res.writeHead(401).end('bad signature');
      verified.push(String(req.headers['idempotency-key']));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(() => {
  receiver.closeAllConnections();
  receiver.close();
});

let dir: string;
let db: Database;
let engine: DurableEngine;
let logs: string;
let admin: ReturnType<typeof createCaller>;
let operator: ReturnType<typeof createCaller>;
const clock = new ManualClock(Date.UTC(2026, 2, 2, 2, 0, 0));

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-cred-'));
  db = await openDatabase(join(dir, 'siyu.db'));
  logs = '';
  // Everything the engine and packages log, at the most verbose level, into a string.
  const logger = pino(
    { level: 'trace', base: undefined },
    new Writable({
      write(chunk, _enc, done) {
        logs += String(chunk);
        done();
      },
    }),
  );
  const registry = createNodeRegistryForRuntime();
  const packages = createServerPackages({ db, clock, logger });
  engine = createEngine({ db, registry, executors: executorsOf(packages), clock, logger });
  const deps: ServerDeps = {
    db,
    engine,
    registry,
    clock,
    publicUrl: 'http://localhost:3000',
    credentials: createCredentialStore(db),
  };
  const passwordHash = await hashPassword('secret-password');
  const principal = async (role: 'admin' | 'operator') =>
    toPrincipal(
      await db.prisma.operator.create({
        data: { id: newOperatorId(), username: role, displayName: role, passwordHash, role },
      }),
    );
  admin = createCaller(createContext(deps, await principal('admin')));
  operator = createCaller(createContext(deps, await principal('operator')));
});
afterEach(async () => {
  await engine.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const hookJourney = (credentialId: string) =>
  graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      ['hook', 'core.webhook', { url: receiverUrl, credentialId, payload: {}, timeoutSeconds: 5 }],
      ['done', 'core.exit', { reason: 'done' }],
    ],
    [
      ['entry', 'next', 'hook'],
      ['hook', 'ok', 'done'],
    ],
    { quietHours: { enabled: false } },
  );

/** Every byte the database keeps on disk (the file, its WAL and shared memory). */
function databaseBytes(): string {
  return readdirSync(dir)
    .filter((f) => f.startsWith('siyu.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('');
}

describe('credentials end to end', () => {
  it('a webhook node signs with a stored credential; the secret appears nowhere but in the encrypted row', async () => {
    const created = await admin.credentials.create({
      type: 'core.webhookSigning',
      name: 'CRM 签名',
      fields: { secret: SECRET },
    });
    expect(created.fields).toEqual({ secret: { set: true } });
    const journey = await operator.journeys.create({ name: 'CRM 同步', graph: hookJourney(created.id) });
    await operator.journeys.publish({ id: journey.id });
    await db.prisma.customer.create({ data: { id: 'c1', displayName: 'c1', attributes: '{}' } });
    await operator.runs.enroll({ journeyId: journey.id, customerId: 'c1' });
    for (let i = 0; i < 5; i++) await engine.tick();
    expect(verified).toHaveLength(1);
    expect(db.sqlite.prepare('SELECT status, exitReason FROM Instance').all()).toEqual([
      { status: 'exited', exitReason: 'done' },
    ]);

    // Editing the name only, and the fields without the secret, keeps the secret (it still signs).
    await admin.credentials.update({ id: created.id, name: 'CRM 签名 2' });
    await admin.credentials.update({ id: created.id, fields: { secret: { set: true } } });
    await db.prisma.customer.create({ data: { id: 'c2', displayName: 'c2', attributes: '{}' } });
    await operator.runs.enroll({ journeyId: journey.id, customerId: 'c2' });
    for (let i = 0; i < 5; i++) await engine.tick();
    expect(verified).toHaveLength(2);

    const answers = JSON.stringify([
      await operator.credentials.list(),
      await operator.credentials.types(),
      await operator.journeys.get({ id: journey.id }),
      await operator.journeys.versions({ id: journey.id }),
      await operator.runs.timeline({ instanceId: 1 }).catch(() => null),
    ]);
    expect(answers).not.toContain(SECRET);
    expect(answers).toContain(created.id);
    const audit = await db.prisma.auditEntry.findMany();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['credential.create', 'credential.update', 'journey.publish']),
    );
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(SECRET);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = databaseBytes();
    expect(bytes).toContain(created.id);
    expect(bytes).not.toContain(SECRET);
    expect(bytes).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 20));
  });

  it('a test run (scratch database, sandbox) reads the credential from the real database', async () => {
    const logger = pino({ level: 'silent' });
    const { deps: live, engine: liveEngine } = assembleServer({
      db,
      nodesFor: runtimeNodes(logger),
      clock,
      logger,
      publicUrl: 'http://localhost:3000',
    });
    const caller = createCaller(
      createContext(live, await db.prisma.operator.findFirstOrThrow({ where: { role: 'admin' } }).then(toPrincipal)),
    );
    const created = await caller.credentials.create({
      type: 'core.webhookSigning',
      name: 'n',
      fields: { secret: SECRET },
    });
    const journey = await caller.journeys.create({ name: '试运行', graph: hookJourney(created.id) });
    const calledBefore = verified.length;
    const result = await runTestJourney(createContext(live), {
      journeyId: journey.id,
      source: 'draft',
      customer: { tags: [], attributes: {} },
      events: [],
      maxDurationMs: 86_400_000,
    });
    expect(result).toMatchObject({ status: 'exited', nodeId: 'done' });
    expect(verified.length).toBe(calledBefore); // a simulation never calls the URL
    await liveEngine.stop();
  });

  it('publishing refuses a node naming a credential that does not exist, on that node', async () => {
    const journey = await operator.journeys.create({ name: 'x', graph: hookJourney('cred_gone') });
    const error = await operator.journeys.publish({ id: journey.id }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/hook .*credential does not exist/);
    const { problems } = await operator.journeys.validate({ id: journey.id });
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'resourceMissing',
        nodeId: 'hook',
        path: 'credentialId',
        params: { kind: 'credential', of: 'core.webhookSigning' },
      }),
    ]);
  });

  it('only admins write credentials; bad fields name the field; deleting one in use is refused', async () => {
    await expect(
      operator.credentials.create({ type: 'core.webhookSigning', name: 'n', fields: { secret: 'x' } }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const bad = await admin.credentials
      .create({ type: 'core.webhookSigning', name: 'n', fields: { secret: '' } })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'BAD_REQUEST' });
    // A code for the editor, and the field named in the plain message for API clients.
    expect(bad).toMatchObject({ detail: { key: 'credentials.invalidFields' } });
    expect((bad as Error).message).toMatch(/secret: 请填写密钥/);
    await expect(admin.credentials.create({ type: 'nope.nothing', name: 'n', fields: {} })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      detail: { key: 'credentials.unknownType', params: { type: 'nope.nothing' } },
    });
    const created = await admin.credentials.create({ type: 'core.webhookSigning', name: 'n', fields: { secret: 's' } });
    await operator.journeys.create({ name: '用它', graph: hookJourney(created.id) });
    await expect(admin.credentials.delete({ id: created.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(admin.credentials.delete({ id: 'cred_missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
