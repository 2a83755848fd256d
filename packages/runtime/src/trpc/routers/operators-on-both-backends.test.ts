import { afterEach, describe, expect, it } from 'vitest';
import { login, operatorForSession } from '../../auth/sessions.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

let h: Harness<AppDatabase>;
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(() => h?.close());

/** A session's token ('' when sign-in was refused). */
const tokenOf = (result: Awaited<ReturnType<typeof login>>) => (result && result !== 'disabled' ? result.token : '');

describe.each(BACKENDS)('operators on %s', (backend) => {
  it('invites without a password: the one-time link sets the password and signs in, once', async () => {
    h = await createHarness({ backend });
    const admin = h.as('admin');
    const created = await admin.operators.create({ username: 'wang.wu', displayName: '王五', role: 'viewer' });
    const token = created.invite?.token as string;
    expect(token).toMatch(/^inv_/);
    expect(created.inviteExpiresAt).toEqual(created.invite?.expiresAt);
    // Nothing stored or listed gives the link away, and nobody can sign in before it is used.
    const row = await h.db.prisma.operator.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(await admin.operators.list())).not.toContain(token);
    const audit = await h.db.prisma.auditEntry.findMany({ where: { action: 'operator.create' } });
    expect(JSON.stringify(audit)).not.toContain(token);
    // The audit log names the operator as colleagues know them, not by id.
    const logged = await admin.audit.list({ action: 'operator.create' });
    expect(logged.entries.map((e) => e.targetName)).toEqual(['王五 (wang.wu)']);

    await expect(h.as(null).auth.acceptInvite({ token, password: 'short' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    const accepted = await h.as(null).auth.acceptInvite({ token, password: 'wangwu-password' });
    expect(accepted.operator).toMatchObject({ username: 'wang.wu', role: 'viewer' });
    expect(tokenOf(await login(h.db, 'wang.wu', 'wangwu-password'))).not.toBe('');
    await expect(h.as(null).auth.acceptInvite({ token, password: 'another-password' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/invalid, used or expired/),
    });
    expect((await admin.operators.list()).find((o) => o.username === 'wang.wu')?.inviteExpiresAt).toBeNull();

    // A new link (a forgotten password); a disabled operator gets none and cannot use an old one.
    const again = await admin.operators.invite({ id: created.id });
    await admin.operators.update({ id: created.id, disabled: true });
    await expect(
      h.as(null).auth.acceptInvite({ token: again.token, password: 'third-password' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.operators.invite({ id: created.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(admin.operators.invite({ id: 'op_nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an expired link does not work', async () => {
    h = await createHarness({ backend });
    const created = await h.as('admin').operators.create({ username: 'zhao', displayName: '赵', role: 'operator' });
    await h.db.prisma.operator.update({
      where: { id: created.id },
      data: { inviteExpiresAt: new Date(Date.now() - 1) },
    });
    await expect(
      h.as(null).auth.acceptInvite({ token: created.invite?.token as string, password: 'zhao-password' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('a disabled operator is told so at sign-in, and their sessions end', async () => {
    h = await createHarness({ backend });
    const session = tokenOf(await login(h.db, 'viewer', 'secret-password'));
    await h.as('admin').operators.update({ id: h.principals.viewer.id, disabled: true });
    expect(await operatorForSession(h.db, session)).toBeNull();
    await expect(h.as(null).auth.login({ username: 'viewer', password: 'secret-password' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/disabled/),
    });
    // A wrong password on a disabled account is just wrong: the refusal tells a guesser nothing.
    await expect(h.as(null).auth.login({ username: 'viewer', password: 'wrong-password' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('the last active admin cannot be disabled or demoted (a coded error); with two admins one can', async () => {
    h = await createHarness({ backend });
    const admin = h.as('admin');
    const boss = await admin.operators.create({
      username: 'boss',
      displayName: '老板',
      password: 'boss-pass',
      role: 'admin',
    });
    // Two active admins: either may be demoted or disabled, and back.
    await admin.operators.update({ id: boss.id, role: 'operator' });
    await admin.operators.update({ id: boss.id, role: 'admin', disabled: true });
    await admin.operators.update({ id: boss.id, disabled: false });
    // Boss disabled 'admin' a moment ago while admin's own request was already past its role check:
    // admin's request would leave no active admin, so it is refused and nothing changes.
    await h.db.prisma.operator.update({ where: { id: h.principals.admin.id }, data: { disabledAt: new Date() } });
    for (const change of [{ disabled: true }, { role: 'viewer' as const }]) {
      await expect(admin.operators.update({ id: boss.id, ...change })).rejects.toMatchObject({
        code: 'PRECONDITION_FAILED',
        message: expect.stringMatching(/"boss" is the last active admin/),
      });
    }
    const stored = await h.db.prisma.operator.findUniqueOrThrow({ where: { id: boss.id } });
    expect([stored.role, stored.disabledAt]).toEqual(['admin', null]);
    // Other changes to the last admin (their name) still go through.
    await admin.operators.update({ id: boss.id, displayName: '老板娘' });
  });
});
