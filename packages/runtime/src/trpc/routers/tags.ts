import { TagNameSchema } from '@siyu/shared';
import { z } from 'zod';
import { thenAudit } from '../../audit/record.ts';
import { deleteTag, moveTags, tagUsage } from '../../customers/tag-admin.ts';
import { likeIgnoringCase } from '../../db/sql-dialect.ts';
import { operatorProcedure, router, viewerProcedure } from '../trpc.ts';

const Tag = TagNameSchema;

/** Tags in use, for pickers (profile page, tag nodes, conditions): most used first. */
export const tagsRouter = router({
  list: viewerProcedure
    .input(
      z
        .object({
          /** Only tags containing this text. */
          text: z.string().trim().max(50).optional(),
          limit: z.number().int().min(1).max(1000).default(200),
        })
        .default({ limit: 200 }),
    )
    .query(({ ctx, input }) => {
      const pattern = input.text ? `%${input.text.replace(/[%_\\]/g, (m) => `\\${m}`)}%` : '%';
      // "vip" finds "VIP" on both databases (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
      return ctx.db.sql.all<{ tag: string; customers: number }>(
        `SELECT tag, count(*) AS customers FROM CustomerTag WHERE tag ${likeIgnoringCase(ctx.db.sql.dialect)} ? ESCAPE '\\'
         GROUP BY tag ORDER BY customers DESC, tag LIMIT ?`,
        [pattern, input.limit],
      );
    }),

  /** Journeys and segments that name the tag: what a rename, merge or delete leaves behind. */
  usage: viewerProcedure.input(z.object({ tag: Tag })).query(({ ctx, input }) => tagUsage(ctx.db, input.tag)),

  /** Renames a tag on every customer (one who has both keeps one). */
  rename: operatorProcedure.input(z.object({ from: Tag, to: Tag })).mutation(async ({ ctx, input }) =>
    thenAudit(
      ctx,
      'tags.rename',
      { type: 'tag', id: input.from },
      input,
    )({
      ...(await moveTags(ctx.db, [input.from], input.to)),
      usage: await tagUsage(ctx.db, input.from),
    }),
  ),

  /** Merges several tags into one: every customer with any of them ends with `into` once. */
  merge: operatorProcedure
    .input(z.object({ tags: z.array(Tag).min(1).max(50), into: Tag }))
    .mutation(async ({ ctx, input }) =>
      thenAudit(
        ctx,
        'tags.merge',
        { type: 'tag', id: input.into },
        input,
      )(await moveTags(ctx.db, input.tags, input.into)),
    ),

  /** Removes the tag from every customer. */
  delete: operatorProcedure
    .input(z.object({ tag: Tag }))
    .mutation(async ({ ctx, input }) =>
      thenAudit(ctx, 'tags.delete', { type: 'tag', id: input.tag }, input)(await deleteTag(ctx.db, input.tag)),
    ),
});
