import { describe, expect, it } from 'vitest';
import { journeyReportHref, parseReportRoute } from './route.ts';

describe('report routes', () => {
  it('round-trips journey ids and knows the channel page', () => {
    expect(parseReportRoute(journeyReportHref('j 1/x'))).toEqual({ page: 'journey', journeyId: 'j 1/x' });
    expect(parseReportRoute('#/reports/channels')).toEqual({ page: 'channels' });
    expect(parseReportRoute('#/reports/journey/')).toBeNull();
    expect(parseReportRoute('')).toBeNull();
  });
});
