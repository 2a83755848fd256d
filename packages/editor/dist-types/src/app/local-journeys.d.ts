import { type JourneyGraph } from '@siyu/shared';
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
    versions: Array<{
        version: number;
        publishedAt: string;
        graph: JourneyGraph;
    }>;
}
export declare function loadJourneys(): LocalJourney[];
export declare function saveJourneys(journeys: LocalJourney[]): void;
export declare function emptyGraph(): JourneyGraph;
