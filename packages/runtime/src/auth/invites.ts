import type { AppDatabase } from '../db/app-database.ts';
import { hashPassword } from './password.ts';
import { type Session, startSession } from './sessions.ts';
import { hashToken, newToken } from './tokens.ts';

/** How long a set-password link works: long enough for a new colleague to read their messages. */
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Gives an operator a one-time set-password link's token (a new one replaces an older, unused one).
 * Only its hash is stored; the token goes back to the admin once, to send to the colleague.
 */
export async function issueInvite(
  db: AppDatabase,
  operatorId: string,
  now: number = Date.now(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken('inv');
  const expiresAt = new Date(now + INVITE_TTL_MS);
  await db.prisma.operator.update({
    where: { id: operatorId },
    data: { inviteTokenHash: hashToken(token), inviteExpiresAt: expiresAt },
  });
  return { token, expiresAt };
}

export type AcceptInviteResult = { ok: true; session: Session } | { ok: false; reason: 'invalid' | 'disabled' };

/**
 * Sets the password behind a live invitation and signs the operator in. The link works once: the
 * token is cleared in the same update that sets the password, guarded by its hash, so two tabs
 * racing with the same link cannot both set a password.
 */
export async function acceptInvite(
  db: AppDatabase,
  token: string,
  password: string,
  now: number = Date.now(),
): Promise<AcceptInviteResult> {
  const tokenHash = hashToken(token);
  const operator = await db.prisma.operator.findUnique({ where: { inviteTokenHash: tokenHash } });
  if (!operator?.inviteExpiresAt || operator.inviteExpiresAt.getTime() <= now) return { ok: false, reason: 'invalid' };
  if (operator.disabledAt) return { ok: false, reason: 'disabled' };
  const claimed = await db.prisma.operator.updateMany({
    where: { id: operator.id, inviteTokenHash: tokenHash },
    data: { passwordHash: await hashPassword(password), inviteTokenHash: null, inviteExpiresAt: null },
  });
  if (claimed.count === 0) return { ok: false, reason: 'invalid' };
  // Sessions from an older password end: the link is also how a forgotten password is reset.
  await db.prisma.operatorSession.deleteMany({ where: { operatorId: operator.id } });
  // The link proved who they are: no second password check.
  return { ok: true, session: await startSession(db, operator, now) };
}
