import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/database.ts';
import { type AppOptions, createApp } from '../http/app.ts';
import { createHarness, type Harness, listenOnLoopback } from '../trpc/harness.test-helper.ts';
import type { LoginLimits } from './login-throttle.ts';
import { operatorForSession, SESSION_TTL_MS } from './sessions.ts';

// Sign-in over real HTTP against the real app and a real SQLite file: throttling per account and
// per address (429 + Retry-After, kept across restarts), logout, session expiry, Secure cookies.

let h: Harness;
const servers: Server[] = [];
const extraDbs: Database[] = [];
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  for (const db of extraDbs.splice(0)) await db.close();
  await h.close();
});

async function serve(options: Partial<AppOptions> = {}, db: Database = h.db): Promise<string> {
  const app = createApp({ db, editorDist: '/nonexistent', api: { ...h.deps, db }, ...options });
  const { server, base } = await listenOnLoopback(app);
  servers.push(server);
  return base;
}

const login = (base: string, username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });

async function errorOf(response: Response) {
  return (
    (await response.json()) as {
      error: { message: string; data: { code: string; retryAfterSeconds?: number; error?: unknown } };
    }
  ).error;
}

describe('sign-in throttling', () => {
  it('refuses the right password after 60 wrong ones in a row and 40 in parallel, also after a restart', async () => {
    const base = await serve();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await login(base, 'admin', `guess-${i}`)).status);
    // The first 10 are checked (401); after that the account is locked before any password check.
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(50).fill(429));
    const parallel = await Promise.all(Array.from({ length: 40 }, (_, i) => login(base, 'admin', `p-${i}`)));
    expect(parallel.map((r) => r.status)).toEqual(Array(40).fill(429));

    const right = await login(base, 'admin', 'secret-password');
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    const retryAfter = Number(right.headers.get('retry-after'));
    // The account is locked for 15 minutes; this address also passed its 50 failures (one hour).
    expect(retryAfter).toBeGreaterThan(59 * 60);
    expect(retryAfter).toBeLessThanOrEqual(60 * 60);
    const error = await errorOf(right);
    expect(error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: retryAfter });
    // A code and its parameters for the editor to word in the chosen language; one English sentence for API clients.
    expect(error.data.error).toEqual({ key: 'auth.throttled', params: { seconds: retryAfter } });
    expect(error.message).toBe(`Too many sign-in attempts; try again in ${retryAfter} seconds`);

    // A restart (everything closed, the same database file opened again) hands out no fresh attempts.
    for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
    await h.engine.stop();
    await h.db.close();
    const reopened = await openDatabase(h.db.path);
    extraDbs.push(reopened);
    const afterRestart = await login(await serve({}, reopened), 'admin', 'secret-password');
    expect(afterRestart.status).toBe(429);
  }, 30_000);

  it('counts parallel guesses before checking any of them', async () => {
    const base = await serve();
    const parallel = await Promise.all(Array.from({ length: 40 }, (_, i) => login(base, 'operator', `p-${i}`)));
    const statuses = parallel.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30);
  }, 30_000);

  it('limits one address across accounts; behind a trusted proxy the forwarded address counts', async () => {
    h.deps.loginLimits = {
      perAccount: { failures: 100, windowSeconds: 60, blockSeconds: 60 },
      perIp: { failures: 5, windowSeconds: 60, blockSeconds: 60 },
    };
    const base = await serve({ trustProxy: 'loopback' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) expect((await login(base, name, 'wrong-password', from('203.0.113.7'))).status).toBe(401);
    expect((await login(base, 'admin', 'secret-password', from('203.0.113.7'))).status).toBe(429);
    // Another client behind the same proxy is not locked out by the first one.
    expect((await login(base, 'admin', 'secret-password', from('198.51.100.2'))).status).toBe(200);
  }, 30_000);

  it('counts guessed set-password links against the same address budget as sign-ins', async () => {
    h.deps.loginLimits = {
      perAccount: { failures: 100, windowSeconds: 60, blockSeconds: 60 },
      perIp: { failures: 3, windowSeconds: 60, blockSeconds: 60 },
    };
    const base = await serve();
    const guess = (token: string) =>
      fetch(`${base}/trpc/auth.acceptInvite`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, password: 'guess-password-1' }),
      });
    for (const token of ['inv_a', 'inv_b', 'inv_c']) expect((await guess(token)).status).toBe(400);
    const blocked = await guess('inv_d');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // The address's sign-ins wait too: one budget for every credential it guesses.
    expect((await login(base, 'admin', 'secret-password')).status).toBe(429);
  }, 30_000);

  it('starts the account count again after a correct password, and unlocks after the block', async () => {
    const limits: LoginLimits = {
      perAccount: { failures: 3, windowSeconds: 1, blockSeconds: 1 },
      perIp: { failures: 100, windowSeconds: 60, blockSeconds: 60 },
    };
    h.deps.loginLimits = limits;
    const base = await serve();
    for (let i = 0; i < 2; i++) expect((await login(base, 'viewer', 'nope-nope')).status).toBe(401);
    expect((await login(base, 'viewer', 'secret-password')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await login(base, 'viewer', 'nope-nope')).status).toBe(401);
    expect((await login(base, 'viewer', 'secret-password')).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await login(base, 'viewer', 'secret-password')).status).toBe(200);
  }, 30_000);
});

describe('sessions over HTTP', () => {
  it('logout deletes the session on the server: the old token no longer works', async () => {
    const base = await serve();
    const ok = await login(base, 'viewer', 'secret-password');
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const token = cookie.replace('siyu_session=', '');
    expect(await operatorForSession(h.db, token)).not.toBeNull();
    const out = await fetch(`${base}/trpc/auth.logout`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
    });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/siyu_session=;/);
    expect(await h.db.prisma.operatorSession.count({ where: { operatorId: h.principals.viewer.id } })).toBe(0);
    // Replaying the old cookie (or bearer token) is anonymous.
    const me = await fetch(`${base}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { result: { data: unknown } }).result.data).toBeNull();
  });

  it('expires sessions after their lifetime', async () => {
    const base = await serve();
    const ok = await login(base, 'viewer', 'secret-password');
    const token = ((ok.headers.get('set-cookie') ?? '').split(';')[0] as string).replace('siyu_session=', '');
    expect(await operatorForSession(h.db, token, Date.now() + SESSION_TTL_MS - 60_000)).not.toBeNull();
    expect(await operatorForSession(h.db, token, Date.now() + SESSION_TTL_MS + 1)).toBeNull();
  });

  it('marks the cookie Secure when a trusted TLS proxy forwarded https, not otherwise', async () => {
    const behindProxy = await serve({ trustProxy: 'loopback' });
    const viaTls = await login(behindProxy, 'viewer', 'secret-password', { 'x-forwarded-proto': 'https' });
    expect(viaTls.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    const plain = await login(behindProxy, 'viewer', 'secret-password');
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/i);
    // Without TRUST_PROXY a client cannot claim https by sending the header itself.
    const direct = await serve();
    const spoofed = await login(direct, 'viewer', 'secret-password', { 'x-forwarded-proto': 'https' });
    expect(spoofed.headers.get('set-cookie')).not.toMatch(/Secure/i);
  });
});
