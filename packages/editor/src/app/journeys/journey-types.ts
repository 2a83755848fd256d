import type { api } from '../server-api.ts';

/** A row of the journey list, as the server sends it. */
export type JourneyRow = Awaited<ReturnType<typeof api.journeys.list.query>>[number];
/** A journey opened in the editor: its draft, revision, status and problems. */
export type OpenJourney = Awaited<ReturnType<typeof api.journeys.get.query>>;

// A journey's status in words: the `journeys` catalog's `status.*` (an unknown one shows as its code).
