// The workspace resources node configs may name, each resolved against its own table: the
// resolvers behind `resourceRef(kind, …)` fields (see @siyu/shared resource-refs.ts). Kinds that
// have no store here are not checked, on purpose:
// - tags (`core.updateTags`, WeCom tag names) are created on first use, so any name is valid;
// - WeCom group chats (`wecom.groupChat`) live in WeCom only — nothing here lists them;
// - WeCom staff (`wecom.staff`) are checked against the staff directory (WecomStaff) once it has
//   been synced; before, there is nothing to check them against;
// - SMS sign names and template codes of older free-text SMS nodes are plain text fields (a node
//   with a registered template names it by `sms.template`, which is checked).
import {
  CREDENTIAL_RESOURCE_KIND,
  type LocalizedText,
  type ResolvedResource,
  type ResourceResolver,
  t,
} from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';

type Row = ResolvedResource & { id: string };

/** A resolver over one table: `find(ids)` answers the rows among ids, `find()` every pickable row. */
function resolver(kind: string, label: LocalizedText, find: (ids?: string[]) => Promise<Row[]>): ResourceResolver {
  return {
    kind,
    label,
    async resolve(ids) {
      const found = new Map<string, ResolvedResource>();
      if (ids.length === 0) return found;
      for (const { id, ...row } of await find([...ids])) found.set(id, row);
      return found;
    },
    list: () => find(),
  };
}

const within = (ids?: string[]) => (ids ? { id: { in: ids } } : {});

/** One resolver per resource kind the runtime stores. */
export function workspaceResolvers(db: AppDatabase): ResourceResolver[] {
  const { prisma } = db;
  return [
    resolver(CREDENTIAL_RESOURCE_KIND, t('凭据', 'credential'), async (ids) =>
      (
        await prisma.credential.findMany({
          where: within(ids),
          select: { id: true, name: true, type: true },
          orderBy: { name: 'asc' },
        })
      ).map((c) => ({ id: c.id, name: c.name, of: c.type })),
    ),
    // An archived channel no longer takes customers in: naming one is as good as naming none.
    resolver('core.channel', t('渠道', 'channel'), (ids) =>
      prisma.channel.findMany({
        where: { ...within(ids), archivedAt: null },
        select: { id: true, name: true },
        orderBy: { createdAt: 'desc' },
      }),
    ),
    resolver('core.segment', t('人群', 'segment'), (ids) =>
      prisma.segment.findMany({ where: within(ids), select: { id: true, name: true }, orderBy: { name: 'asc' } }),
    ),
    resolver('coupons.stock', t('优惠券批次', 'coupon batch'), (ids) =>
      prisma.couponStock.findMany({
        where: within(ids),
        select: { id: true, name: true },
        orderBy: { createdAt: 'desc' },
      }),
    ),
    // A member WeCom no longer lists (left, lost customer-contact permission) can take no task and
    // send nothing: naming one is naming nobody.
    resolver('wecom.staff', t('企业微信员工', 'WeCom staff member'), async (ids) => {
      if ((await prisma.wecomStaff.count()) === 0) return (ids ?? []).map((id) => ({ id, name: id }));
      const members = await prisma.wecomStaff.findMany({
        where: { ...(ids ? { userId: { in: ids } } : {}), active: true },
        orderBy: { name: 'asc' },
      });
      return members.map((m) => ({ id: m.userId, name: m.name }));
    }),
    resolver('sms.template', t('短信模板', 'SMS template'), (ids) =>
      prisma.smsTemplate.findMany({
        where: within(ids),
        select: { id: true, name: true },
        orderBy: { createdAt: 'desc' },
      }),
    ),
  ];
}
