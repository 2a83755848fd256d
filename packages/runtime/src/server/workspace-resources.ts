// The workspace resources node configs may name, each resolved against its own table: the
// resolvers behind `resourceRef(kind, …)` fields (see @siyu/shared resource-refs.ts). Kinds that
// have no store here are not checked and say so:
// - tags (`core.tag`, WeCom tag names) are created on first use, so any name is valid;
// - WeCom staff (`wecom.staff`) and group chats (`wecom.groupChat`) live in WeCom only — nothing
//   here lists them (the sandbox has no directory), so they cannot be checked offline;
// - SMS sign names and template codes are approved in the provider's console and kept nowhere
//   here either.
import { CREDENTIAL_RESOURCE_KIND, type ResolvedResource, type ResourceResolver, t } from '@siyu/shared';
import type { Database } from '../db/database.ts';

type Rows = Array<{ id: string; name: string; of?: string }>;

function resolver(kind: string, label: ReturnType<typeof t>, find: (ids: string[]) => Promise<Rows>): ResourceResolver {
  return {
    kind,
    label,
    async resolve(ids) {
      const found = new Map<string, ResolvedResource>();
      if (ids.length === 0) return found;
      for (const row of await find([...ids]))
        found.set(row.id, row.of ? { name: row.name, of: row.of } : { name: row.name });
      return found;
    },
  };
}

/** One resolver per resource kind the runtime stores. */
export function workspaceResolvers(db: Database): ResourceResolver[] {
  const { prisma } = db;
  return [
    resolver(CREDENTIAL_RESOURCE_KIND, t('凭据', 'credential'), async (ids) =>
      (
        await prisma.credential.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, type: true } })
      ).map((c) => ({ id: c.id, name: c.name, of: c.type })),
    ),
    // An archived channel no longer takes customers in: naming one is as good as naming none.
    resolver('core.channel', t('渠道', 'channel'), (ids) =>
      prisma.channel.findMany({ where: { id: { in: ids }, archivedAt: null }, select: { id: true, name: true } }),
    ),
    resolver('core.segment', t('人群', 'segment'), (ids) =>
      prisma.segment.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
    ),
    resolver('coupons.stock', t('优惠券批次', 'coupon stock'), (ids) =>
      prisma.couponStock.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }),
    ),
  ];
}
