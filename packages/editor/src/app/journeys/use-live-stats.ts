import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { type CanvasOverlay, edgeShares } from '../../model/overlay.ts';
import { percent } from '../../pages/format.ts';
import type { NodeStats } from '../editor-context.ts';
import { useLocale } from '../i18n.ts';
import { trpc } from '../kit/query.ts';
import type { api } from '../server-api.ts';

type JourneyStats = Awaited<ReturnType<typeof api.stats.journey.query>>;

/** Polls the journey's per-node counts and edge counts every 3 s while it is open and live. */
export function useLiveStats(
  journeyId: string,
  liveVersionId: string | null,
): { nodes: ReadonlyMap<string, NodeStats>; edges: JourneyStats['edges'] } | undefined {
  // A newly published version shows in the next poll (counts are per journey, across versions).
  const { data } = useQuery(
    trpc.stats.journey.queryOptions({ journeyId }, { refetchInterval: 3_000, enabled: Boolean(liveVersionId) }),
  );
  return useMemo(
    () => (data ? { nodes: new Map(data.nodes.map((n) => [n.nodeId, n])), edges: data.edges } : undefined),
    [data],
  );
}

/** What the canvas paints: the simulated path while there is one, else the live edge shares. */
export function useCanvasOverlay(live: ReturnType<typeof useLiveStats>, simPath: CanvasOverlay | undefined) {
  const { t } = useLocale();
  const shares = useMemo(
    () =>
      live?.edges &&
      edgeShares(live.edges, (share, count) => t('app:liveStats.edgeShare', { share: percent(share), count })),
    [live?.edges, t],
  );
  return useMemo<CanvasOverlay | undefined>(
    () => simPath ?? (shares ? { nodes: new Map(), edges: shares } : undefined),
    [simPath, shares],
  );
}
