import { z } from 'zod';
import { router, viewerProcedure } from '../trpc.ts';

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
      const like = input.text ? `%${input.text.replace(/[%_\\]/g, (m) => `\\${m}`)}%` : '%';
      return ctx.db.sqlite
        .prepare(
          `SELECT tag, count(*) AS customers FROM CustomerTag WHERE tag LIKE ? ESCAPE '\\'
           GROUP BY tag ORDER BY customers DESC, tag LIMIT ?`,
        )
        .all(like, input.limit) as { tag: string; customers: number }[];
    }),
});
