import type { SqlClient } from '../db/sql-client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

type Db = { sql: SqlClient; prisma: PrismaClient };

/** Where a tag is named: journeys (a tag node or a condition) and saved segments. */
export interface TagUsage {
  journeys: { id: string; name: string; status: string }[];
  segments: { id: string; name: string }[];
}

/** True when a journey graph or filter (JSON text) names `tag` as a value. */
const names = (json: string, tag: string) => json.includes(JSON.stringify(tag));

/**
 * Journeys (draft or live version, archived ones left out) and segments that name the tag, so an
 * operator renaming, merging or deleting it sees what would no longer find it. A plain text scan
 * of the stored JSON: a tag is only ever a string value there.
 */
export async function tagUsage(db: Db, tag: string): Promise<TagUsage> {
  const journeys = await db.prisma.journey.findMany({
    where: { status: { not: 'archived' } },
    select: { id: true, name: true, status: true, draft: true, liveVersionId: true },
  });
  const liveIds = journeys.map((j) => j.liveVersionId).filter((id): id is string => id !== null);
  const live = new Map(
    (
      await db.prisma.journeyVersion.findMany({ where: { id: { in: liveIds } }, select: { id: true, graph: true } })
    ).map((v) => [v.id, v.graph]),
  );
  const segments = await db.prisma.segment.findMany({ select: { id: true, name: true, filter: true } });
  return {
    journeys: journeys
      .filter((j) => names(j.draft, tag) || (j.liveVersionId !== null && names(live.get(j.liveVersionId) ?? '', tag)))
      .map(({ id, name, status }) => ({ id, name, status })),
    segments: segments.filter((s) => names(s.filter, tag)).map(({ id, name }) => ({ id, name })),
  };
}

/**
 * Moves every customer's `from` tags to `to` in one transaction: a customer who already has `to`
 * keeps that one (with its origin) and loses `from`, so nobody ends with the tag twice or without
 * it. Renaming and merging are both this; returns the customers who had a `from` tag.
 */
export async function moveTags(db: Db, from: readonly string[], to: string): Promise<{ customers: number }> {
  const sources = [...new Set(from)].filter((tag) => tag !== to);
  if (sources.length === 0) return { customers: 0 };
  const list = sources.map(() => '?').join(', ');
  return db.sql.transaction(async (tx) => {
    const counted = await tx.get<{ n: number }>(
      `SELECT count(DISTINCT customerId) AS n FROM CustomerTag WHERE tag IN (${list})`,
      sources,
    );
    // Customers who already have `to`: drop their source tags.
    await tx.run(
      `DELETE FROM CustomerTag WHERE tag IN (${list})
       AND customerId IN (SELECT customerId FROM CustomerTag WHERE tag = ?)`,
      [...sources, to],
    );
    // Customers with two source tags: keep the first (by tag) and drop the rest before renaming.
    await tx.run(
      `DELETE FROM CustomerTag WHERE tag IN (${list})
       AND EXISTS (SELECT 1 FROM CustomerTag o WHERE o.customerId = CustomerTag.customerId
                   AND o.tag IN (${list}) AND o.tag < CustomerTag.tag)`,
      [...sources, ...sources],
    );
    await tx.run(`UPDATE CustomerTag SET tag = ? WHERE tag IN (${list})`, [to, ...sources]);
    return { customers: counted?.n ?? 0 };
  });
}

/** Removes the tag from every customer; returns how many had it. */
export async function deleteTag(db: Db, tag: string): Promise<{ customers: number }> {
  return { customers: (await db.sql.run('DELETE FROM CustomerTag WHERE tag = ?', [tag])).changes };
}
