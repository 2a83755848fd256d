import { useEffect, useState } from 'react';

/** Report pages live behind the hash (#/reports/…), so they open by link and survive a reload. */
export type ReportRoute = { page: 'journey'; journeyId: string } | { page: 'channels' };

export function parseReportRoute(hash: string): ReportRoute | null {
  const journey = /^#\/reports\/journey\/([^/?#]+)$/.exec(hash);
  if (journey) return { page: 'journey', journeyId: decodeURIComponent(journey[1] as string) };
  if (hash === '#/reports/channels') return { page: 'channels' };
  return null;
}

export const journeyReportHref = (journeyId: string) => `#/reports/journey/${encodeURIComponent(journeyId)}`;
export const CHANNEL_REPORT_HREF = '#/reports/channels';

export function useReportRoute(): ReportRoute | null {
  const [route, setRoute] = useState(() => parseReportRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseReportRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
