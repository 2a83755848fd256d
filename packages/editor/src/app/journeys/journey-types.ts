import type { api } from '../server-api.ts';

/** A row of the journey list, as the server sends it. */
export type JourneyRow = Awaited<ReturnType<typeof api.journeys.list.query>>[number];
/** A journey opened in the editor: its draft, revision, status and problems. */
export type OpenJourney = Awaited<ReturnType<typeof api.journeys.get.query>>;

/** A journey's status in both languages ([zh-CN, en]). */
export const STATUS: Record<string, [string, string]> = {
  draft: ['草稿', 'Draft'],
  live: ['已上线', 'Live'],
  paused: ['已暂停', 'Paused'],
  stopped: ['已停止', 'Stopped'],
  archived: ['已归档', 'Archived'],
};
