import { type JourneyGraph, JourneyGraphSchema } from '@siyu/shared';

/**
 * Journeys kept in the browser's localStorage: the editor works before (and without) a server.
 * The server's tRPC API replaces this store once wired.
 */
export interface LocalJourney {
  id: string;
  name: string;
  status: 'draft' | 'live';
  updatedAt: string;
  draft: JourneyGraph;
  versions: Array<{ version: number; publishedAt: string; graph: JourneyGraph }>;
}

const KEY = 'siyu.journeys';

export function loadJourneys(): LocalJourney[] {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '[]') as LocalJourney[];
    return raw.filter((j) => {
      const ok = JourneyGraphSchema.safeParse(j.draft).success;
      if (!ok) console.warn(`journey ${j.id} in localStorage is not a valid graph; skipped`);
      return ok;
    });
  } catch {
    return [];
  }
}

export function saveJourneys(journeys: LocalJourney[]): void {
  localStorage.setItem(KEY, JSON.stringify(journeys));
}

export function emptyGraph(): JourneyGraph {
  return JourneyGraphSchema.parse({ nodes: [], edges: [] });
}
