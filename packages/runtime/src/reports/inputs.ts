import { z } from 'zod';
import { DEFAULT_ATTRIBUTION_WINDOW_DAYS } from './attribution.ts';

/** Every report's input, validated at the API boundary (the router and the CSV export share them). */
const Id = z.string().min(1).max(100);
const Epoch = z.number().int().min(0).max(8.64e15);
const WindowDays = z.number().int().min(0).max(365).default(DEFAULT_ATTRIBUTION_WINDOW_DAYS);

export const FunnelInput = z.object({ journeyId: Id, versionId: Id.optional() });

export const ChannelsInput = z
  .object({ from: Epoch, to: Epoch, windowDays: WindowDays, channelId: Id.optional() })
  .refine((i) => i.from < i.to, { message: 'from 须早于 to / from must be before to', path: ['to'] });

export const ChannelsFirstTouchInput = z.object({ channelId: Id.optional() }).default({});

export const AbTestInput = z.object({ journeyId: Id, nodeId: Id });

export const PromoteWinnerInput = z.object({
  journeyId: Id,
  nodeId: Id,
  variantId: Id,
  expectedRevision: z.number().int().positive().optional(),
});

export const MonitoringInput = z.union([
  z.object({ journeyId: Id, sendNodeId: Id }).strict(),
  z.object({ channelCode: z.string().min(1).max(30), since: Epoch, windowDays: WindowDays }).strict(),
]);

export const CohortsInput = z.object({ by: z.enum(['entryWeek', 'channel']) });

export const HoldoutInput = z.object({ journeyId: Id });

export const CsvInput = z.discriminatedUnion('report', [
  z.object({ report: z.literal('funnel'), input: FunnelInput }),
  z.object({ report: z.literal('channels'), input: ChannelsInput }),
  z.object({ report: z.literal('abTest'), input: AbTestInput }),
  z.object({ report: z.literal('monitoring'), input: MonitoringInput }),
  z.object({ report: z.literal('cohorts'), input: CohortsInput }),
  z.object({ report: z.literal('holdout'), input: HoldoutInput }),
]);
export type CsvRequest = z.output<typeof CsvInput>;
