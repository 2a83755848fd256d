// The WeCom staff directory (WecomStaff): the names of the staff whose userids customers (owner),
// tasks (assignee), live codes and node configs carry, so screens name a person instead of showing
// an id. Synced from WeCom — the members with customer-contact permission
// (externalcontact/get_follow_user_list), then user/get for each name — or, in the sandbox, from a
// small demo roster that matches the userids the sandbox and the examples use.
import { WecomUserIdSchema } from '@siyu/nodes-wecom';
import type { WecomClient } from '@siyu/nodes-wecom/server';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';
import type { Logger } from '../logger.ts';

export interface StaffMember {
  userId: string;
  name: string;
  /** False once WeCom no longer lists the member (left, or lost customer-contact permission). */
  active: boolean;
  syncedAt: Date;
}

export interface StaffSyncResult {
  /** Members WeCom listed. */
  listed: number;
  added: number;
  renamed: number;
  /** Members no longer listed, now inactive. */
  deactivated: number;
  /** Userids whose name could not be read this time (kept as they were; tried on the next sync). */
  unread: string[];
}

export interface StaffDirectory {
  list(): Promise<StaffMember[]>;
  sync(): Promise<StaffSyncResult>;
  /**
   * Userids WeCom just named (a contact added to a staff member): when one is not in the directory,
   * syncs now instead of at the next refresh, so the new member is shown by name within seconds.
   * At most one such sync per `NOTICE_GAP_MS`; a userid the sync does not bring (no customer-contact
   * permission) does not start another.
   */
  noticeUserIds(userIds: readonly string[]): Promise<'known' | 'synced' | 'later'>;
}

/** The least time between two syncs started by unknown userids (a burst of adds is one sync). */
export const NOTICE_GAP_MS = 10 * 60_000;

/** The sandbox's staff: the userid a simulated contact adds, and the examples' fallback assignee. */
export const SANDBOX_STAFF: ReadonlyArray<{ userId: string; name: string }> = [
  { userId: 'sandbox-staff', name: '林晓' },
  { userId: 'dianzhang_sh', name: '王芳' },
];

const BY_NAME = new Intl.Collator('zh-CN');

/** user/get calls in flight at once: WeCom allows 10,000 calls a minute per corp (path/90454). */
const LOOKUPS_AT_ONCE = 5;

async function rosterFromWecom(client: WecomClient): Promise<{ listed: string[]; named: Map<string, string> }> {
  const listed = await client.followUsers();
  const named = new Map<string, string>();
  for (let i = 0; i < listed.length; i += LOOKUPS_AT_ONCE) {
    await Promise.all(
      listed.slice(i, i + LOOKUPS_AT_ONCE).map((userId) =>
        client.member(userId).then(
          (m) => named.set(userId, m.name),
          () => undefined, // reported as unread; the row, if any, keeps its last name
        ),
      ),
    );
  }
  return { listed, named };
}

export function createStaffDirectory(deps: {
  db: Pick<AppDatabase, 'prisma'>;
  clock: Clock;
  /** The WeCom app's client, or null for the sandbox roster. */
  client: WecomClient | null;
}): StaffDirectory {
  const { prisma } = deps.db;
  let running: Promise<StaffSyncResult> | undefined;
  let lastNoticeSync = Number.NEGATIVE_INFINITY;

  async function syncOnce(): Promise<StaffSyncResult> {
    const { listed, named } = deps.client
      ? await rosterFromWecom(deps.client)
      : {
          listed: SANDBOX_STAFF.map((s) => s.userId),
          named: new Map(SANDBOX_STAFF.map((s) => [s.userId, s.name])),
        };
    const syncedAt = new Date(deps.clock.now());
    const before = new Map((await prisma.wecomStaff.findMany()).map((row) => [row.userId, row]));
    let added = 0;
    let renamed = 0;
    const writes = [];
    for (const [userId, name] of named) {
      const old = before.get(userId);
      if (!old) added++;
      else if (old.name !== name) renamed++;
      writes.push(
        prisma.wecomStaff.upsert({
          where: { userId },
          create: { userId, name, active: true, syncedAt },
          update: { name, active: true, syncedAt },
        }),
      );
    }
    const gone = [...before.values()].filter((row) => row.active && !listed.includes(row.userId));
    if (gone.length > 0) {
      writes.push(
        prisma.wecomStaff.updateMany({
          where: { userId: { in: gone.map((row) => row.userId) } },
          data: { active: false, syncedAt },
        }),
      );
    }
    await prisma.$transaction(writes);
    return {
      listed: listed.length,
      added,
      renamed,
      deactivated: gone.length,
      unread: listed.filter((userId) => !named.has(userId)),
    };
  }

  // Two syncs at once (the timer, an admin's click, a new userid) share one pass.
  function sync(): Promise<StaffSyncResult> {
    running ??= syncOnce().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    // Active first, then by name as a Chinese reader orders them (pinyin: 林 before 王 before 张),
    // which neither database's default collation does.
    async list() {
      const rows = await prisma.wecomStaff.findMany();
      return rows.sort(
        (a, b) =>
          Number(b.active) - Number(a.active) ||
          BY_NAME.compare(a.name, b.name) ||
          (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
      );
    },
    sync,
    async noticeUserIds(userIds) {
      const ids = [...new Set(userIds)].filter((id) => id.length > 0);
      if (ids.length === 0) return 'known';
      const known = await prisma.wecomStaff.count({ where: { userId: { in: ids } } });
      if (known === ids.length) return 'known';
      if (deps.clock.now() - lastNoticeSync < NOTICE_GAP_MS) return 'later';
      lastNoticeSync = deps.clock.now();
      await sync();
      return 'synced';
    },
  };
}

const SIX_HOURS = 6 * 3_600_000;

/**
 * Syncs now and then every `everyMs` (default 6 hours) until the returned stop is called; a failed
 * sync is logged and the names already stored stay. The timer never keeps the process alive.
 */
export function keepStaffDirectoryFresh(
  directory: StaffDirectory,
  logger: Pick<Logger, 'info' | 'warn'>,
  everyMs = SIX_HOURS,
): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = () => {
    directory.sync().then(
      (result) => logger.info({ ...result, unread: result.unread.length }, 'WeCom staff directory synced'),
      (error: unknown) => logger.warn({ err: error }, 'WeCom staff directory sync failed; names stay as they were'),
    );
    if (!stopped) timer = setTimeout(run, everyMs).unref();
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** The staff userids in events a webhook just ingested: whom WeCom says a customer added. */
export function staffUserIdsIn(events: ReadonlyArray<{ type: string; data?: unknown }>): string[] {
  return events.flatMap((event) => {
    if (event.type !== 'wecom.contactAdded') return [];
    const userId = WecomUserIdSchema.safeParse((event.data as { userId?: unknown } | undefined)?.userId);
    return userId.success ? [userId.data] : [];
  });
}
