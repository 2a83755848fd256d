import { randomBytes } from 'node:crypto';
import type { AppDatabase } from '../db/app-database.ts';
import { hashPassword } from './password.ts';
import { newOperatorId } from './sessions.ts';

/**
 * On first start (no operators yet) creates the admin `admin`, with ADMIN_PASSWORD if given or a
 * generated password that is returned so the caller prints it once. Returns null when operators exist.
 */
export async function ensureFirstAdmin(
  db: AppDatabase,
  adminPassword?: string,
): Promise<{ username: string; password: string; generated: boolean } | null> {
  if ((await db.prisma.operator.count()) > 0) return null;
  const password = adminPassword ?? randomBytes(12).toString('base64url');
  await db.prisma.operator.create({
    data: {
      id: newOperatorId(),
      username: 'admin',
      displayName: '管理员 Admin',
      passwordHash: await hashPassword(password),
      role: 'admin',
    },
  });
  return { username: 'admin', password, generated: adminPassword === undefined };
}
