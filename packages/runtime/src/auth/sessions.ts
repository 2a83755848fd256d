import { randomUUID } from 'node:crypto';
import type { AppDatabase } from '../db/app-database.ts';
import { verifyPassword } from './password.ts';
import { type Role, RoleSchema } from './roles.ts';
import { hashToken, newToken } from './tokens.ts';

export const SESSION_COOKIE = 'siyu_session';
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface OperatorPrincipal {
  kind: 'operator';
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

/**
 * Checks credentials; returns a new session token (shown once, stored hashed), null for a wrong
 * username or password, or 'disabled' when the password is right but the account is disabled (only
 * someone who knows the password learns that, so it reveals nothing to a guesser).
 */
export async function login(
  db: AppDatabase,
  username: string,
  password: string,
  now: number = Date.now(),
): Promise<Session | 'disabled' | null> {
  const operator = await db.prisma.operator.findUnique({ where: { username } });
  // Verify even for unknown users so timing does not reveal which usernames exist.
  const ok = await verifyPassword(password, operator?.passwordHash ?? 'scrypt$16384$8$1$AAAA$AAAA');
  if (!operator || !ok) return null;
  if (operator.disabledAt) return 'disabled';
  return startSession(db, operator, now);
}

export type Session = { token: string; operator: OperatorPrincipal; expiresAt: Date };

/** A new session for an operator whose credentials were just proven (a password, a set-password link). */
export async function startSession(
  db: AppDatabase,
  operator: { id: string; username: string; displayName: string; role: string },
  now: number = Date.now(),
): Promise<Session> {
  // Expired sessions are swept at each sign-in, so the table never grows without bound.
  await db.prisma.operatorSession.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
  const token = newToken('sess');
  const expiresAt = new Date(now + SESSION_TTL_MS);
  await db.prisma.operatorSession.create({
    data: { tokenHash: hashToken(token), operatorId: operator.id, expiresAt },
  });
  return { token, operator: toPrincipal(operator), expiresAt };
}

export async function logout(db: AppDatabase, token: string): Promise<void> {
  await db.prisma.operatorSession.deleteMany({ where: { tokenHash: hashToken(token) } });
}

/** The operator behind a session token, if the session is live and the operator enabled. */
export async function operatorForSession(
  db: AppDatabase,
  token: string,
  now: number = Date.now(),
): Promise<OperatorPrincipal | null> {
  const session = await db.prisma.operatorSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { operator: true },
  });
  if (!session || session.expiresAt.getTime() <= now || session.operator.disabledAt) return null;
  return toPrincipal(session.operator);
}

export function toPrincipal(o: { id: string; username: string; displayName: string; role: string }): OperatorPrincipal {
  return {
    kind: 'operator',
    id: o.id,
    username: o.username,
    displayName: o.displayName,
    role: RoleSchema.parse(o.role),
  };
}

export function newOperatorId(): string {
  return `op_${randomUUID()}`;
}
