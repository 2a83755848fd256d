import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { apiKeyPrincipal, KEY_CACHE_MS } from './api-keys.ts';
import { ensureFirstAdmin } from './bootstrap.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { login, operatorForSession } from './sessions.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe('passwords', () => {
  it('hashes with scrypt and a salt, and verifies', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('wrong horse', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('first admin', () => {
  it('is created only when there are no operators, with ADMIN_PASSWORD or a generated one', async () => {
    expect(await ensureFirstAdmin(h.db, 'from-env-123')).toBeNull(); // the harness made operators
    await h.db.prisma.operator.deleteMany();
    const created = await ensureFirstAdmin(h.db, 'from-env-123');
    expect(created).toEqual({ username: 'admin', password: 'from-env-123', generated: false });
    expect(await login(h.db, 'admin', 'from-env-123')).not.toBeNull();
    await h.db.prisma.operator.deleteMany();
    const generated = await ensureFirstAdmin(h.db);
    expect(generated?.generated).toBe(true);
    expect(generated?.password.length).toBeGreaterThanOrEqual(16);
    expect(await login(h.db, 'admin', generated?.password ?? '')).not.toBeNull();
  });
});

describe('auth router', () => {
  it('lets an operator change their own password', async () => {
    const api = h.as('viewer');
    await expect(api.auth.changePassword({ current: 'wrong', next: 'new-password-1' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(api.auth.changePassword({ current: 'secret-password', next: 'short' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const old = await login(h.db, 'viewer', 'secret-password');
    await api.auth.changePassword({ current: 'secret-password', next: 'new-password-1' });
    expect(await operatorForSession(h.db, tokenOf(old))).toBeNull();
    expect(await login(h.db, 'viewer', 'secret-password')).toBeNull();
    expect(await login(h.db, 'viewer', 'new-password-1')).not.toBeNull();
  });
});

describe('operators and API keys routers', () => {
  it('admin manages operators; disabling or a new password ends sessions; others cannot', async () => {
    const admin = h.as('admin');
    const op = await admin.operators.create({
      username: 'li.si',
      displayName: '李四',
      password: 'password-1',
      role: 'operator',
    });
    expect(op).not.toHaveProperty('passwordHash');
    await expect(
      admin.operators.create({ username: 'li.si', displayName: 'x', password: 'password-1', role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      admin.operators.create({ username: 'x', displayName: 'x', password: 'short', role: 'viewer' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const session = await login(h.db, 'li.si', 'password-1');
    expect(await operatorForSession(h.db, tokenOf(session))).toMatchObject({ role: 'operator' });
    await admin.operators.update({ id: op.id, role: 'viewer' });
    expect(await operatorForSession(h.db, tokenOf(session))).toMatchObject({ role: 'viewer' });
    await admin.operators.update({ id: op.id, disabled: true });
    expect(await operatorForSession(h.db, tokenOf(session))).toBeNull();
    // The right password on a disabled account is told so (a wrong one is just wrong).
    expect(await login(h.db, 'li.si', 'password-1')).toBe('disabled');
    expect(await login(h.db, 'li.si', 'password-2')).toBeNull();
    await expect(admin.operators.update({ id: h.principals.admin.id, role: 'viewer' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(h.as('operator').operators.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await admin.operators.list()).map((o) => o.username)).toContain('li.si');
  });

  it('creates keys shown once and stored hashed, lists without secrets, revokes', async () => {
    const admin = h.as('admin');
    const created = await admin.apiKeys.create({ name: '有赞订单', scopes: ['events:write'] });
    expect(created.key).toMatch(/^sk_/);
    const row = await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.keyHash).not.toContain(created.key);
    const listed = await admin.apiKeys.list();
    expect(listed[0]).not.toHaveProperty('keyHash');
    expect(listed[0]?.scopes).toEqual(['events:write']);
    expect(await apiKeyPrincipal(h.db, created.key)).toMatchObject({ kind: 'apiKey', scopes: ['events:write'] });
    expect((await admin.apiKeys.revoke({ id: created.id })).revoked).toBe(true);
    expect(await apiKeyPrincipal(h.db, created.key)).toBeNull();
    await expect(admin.apiKeys.create({ name: 'x', scopes: ['customers:read' as never] })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(h.as('operator').apiKeys.create({ name: 'x', scopes: ['events:write'] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('answers a busy key from memory for a few seconds and writes its last use once a minute', async () => {
    const admin = h.as('admin');
    const created = await admin.apiKeys.create({ name: '抖店', scopes: ['events:write'] });
    const lastUsed = async () =>
      (await h.db.prisma.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt?.getTime();
    const t0 = Date.now();
    expect(await apiKeyPrincipal(h.db, created.key, t0)).toMatchObject({ id: created.id });
    expect(await lastUsed()).toBe(t0);
    // Revoked in the database behind this process's back (another process did it): answered from
    // memory until KEY_CACHE_MS, then refused.
    await h.db.prisma.apiKey.update({ where: { id: created.id }, data: { revokedAt: new Date(t0) } });
    expect(await apiKeyPrincipal(h.db, created.key, t0 + 1_000)).toMatchObject({ id: created.id });
    expect(await lastUsed()).toBe(t0); // not written again within the minute
    expect(await apiKeyPrincipal(h.db, created.key, t0 + KEY_CACHE_MS + 1)).toBeNull();
    // Back in use (a refused key was forgotten): read again, its use written at once.
    await h.db.prisma.apiKey.update({ where: { id: created.id }, data: { revokedAt: null } });
    expect(await apiKeyPrincipal(h.db, created.key, t0 + 30_000)).toMatchObject({ id: created.id });
    expect(await lastUsed()).toBe(t0 + 30_000);
    // Read again after the cache time, written again only once a minute has passed.
    expect(await apiKeyPrincipal(h.db, created.key, t0 + 40_000)).toMatchObject({ id: created.id });
    expect(await lastUsed()).toBe(t0 + 30_000);
    expect(await apiKeyPrincipal(h.db, created.key, t0 + 91_000)).toMatchObject({ id: created.id });
    expect(await lastUsed()).toBe(t0 + 91_000);
    // Revoked through the API: refused by this process at once, within the cache time.
    await admin.apiKeys.revoke({ id: created.id });
    expect(await apiKeyPrincipal(h.db, created.key, t0 + 92_000)).toBeNull();
  });
});

/** A session's token ('' when sign-in was refused). */
function tokenOf(result: Awaited<ReturnType<typeof login>>): string {
  return result && result !== 'disabled' ? result.token : '';
}
