import { z } from 'zod';
import { router, viewerProcedure } from '../trpc.ts';

const DAY = 86_400_000;
/** China has one time zone and no daylight saving: "today" starts at 00:00 UTC+8. */
const CHINA_OFFSET = 8 * 3_600_000;
export const startOfChinaDay = (now: number) => Math.floor((now + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET;

export interface JourneySummary {
  journeyId: string;
  entriesToday: number;
  entriesTotal: number;
  active: number;
  /** Entries (holdout excluded) that reached the journey's goal. */
  conversions: number;
  /** conversions / entries (holdout excluded); 0 without entries. */
  conversionRate: number;
}

/**
 * Numbers for the journey list, one query for every journey: entries today (China time) and in
 * total, customers in flight, and goal conversion. Holdout customers are entries but not part of
 * the conversion rate (they never get the journey's messages).
 */
export const overviewRouter = router({
  journeys: viewerProcedure
    .input(z.object({ journeyIds: z.array(z.string().min(1).max(100)).max(500).optional() }).default({}))
    .query(async ({ ctx, input }): Promise<JourneySummary[]> => {
      const today = new Date(startOfChinaDay(ctx.clock.now()));
      const scope = input.journeyIds ? { journeyId: { in: input.journeyIds } } : {};
      const p = ctx.db.prisma.instance;
      const [total, todayRows, active, treated, converted] = await Promise.all([
        p.groupBy({ by: ['journeyId'], where: scope, _count: { _all: true } }),
        p.groupBy({ by: ['journeyId'], where: { ...scope, enteredAt: { gte: today } }, _count: { _all: true } }),
        p.groupBy({ by: ['journeyId'], where: { ...scope, status: 'active' }, _count: { _all: true } }),
        p.groupBy({ by: ['journeyId'], where: { ...scope, holdout: false }, _count: { _all: true } }),
        p.groupBy({
          by: ['journeyId'],
          where: { ...scope, holdout: false, goalAt: { not: null } },
          _count: { _all: true },
        }),
      ]);
      const count = (rows: { journeyId: string; _count: { _all: number } }[]) =>
        new Map(rows.map((r) => [r.journeyId, r._count._all]));
      const [byTotal, byToday, byActive, byTreated, byConverted] = [
        count(total),
        count(todayRows),
        count(active),
        count(treated),
        count(converted),
      ];
      return [...byTotal.entries()].map(([journeyId, entriesTotal]) => {
        const entries = byTreated.get(journeyId) ?? 0;
        const conversions = byConverted.get(journeyId) ?? 0;
        return {
          journeyId,
          entriesToday: byToday.get(journeyId) ?? 0,
          entriesTotal,
          active: byActive.get(journeyId) ?? 0,
          conversions,
          conversionRate: entries ? conversions / entries : 0,
        };
      });
    }),
});
