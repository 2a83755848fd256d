import { z } from 'zod';
import { likeIgnoringCase } from '../../db/sql-dialect.ts';
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
      const pattern = input.text ? `%${input.text.replace(/[%_\\]/g, (m) => `\\${m}`)}%` : '%';
      // "vip" finds "VIP" on both databases (SQLite's LIKE ignores ASCII case, PostgreSQL's does not).
      return ctx.db.sql.all<{ tag: string; customers: number }>(
        `SELECT tag, count(*) AS customers FROM CustomerTag WHERE tag ${likeIgnoringCase(ctx.db.sql.dialect)} ? ESCAPE '\\'
         GROUP BY tag ORDER BY customers DESC, tag LIMIT ?`,
        [pattern, input.limit],
      );
    }),
});
