import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodeRegistryForRuntime } from '../node-packages/registry.ts';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';
import { reportDatabases } from './backends.test-helper.ts';
import { reportCsv } from './csv.ts';
import { DAY, seedAbJourney, seedChannels, T0 } from './fixture.test-helper.ts';

const databases = reportDatabases('reports_csv');
const registry = createNodeRegistryForRuntime();

let h: Harness;
beforeEach(async () => {
  h = await createHarness({ nodes: 'product' });
  await seedChannels(h.db.sql);
  await seedAbJourney(h.db.sql);
  h.clock.set(T0 + 40 * DAY);
});
afterEach(() => h.close());

const parse = (csv: string) => Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: false }).data;

describe('reports.csv', () => {
  it('exports the channel report as UTF-8 CSV with a BOM, yuan amounts and the attribution rule', async () => {
    const { fileName, csv } = await h.as('viewer').reports.csv({
      report: 'channels',
      input: { from: T0, to: T0 + 30 * DAY },
    });
    expect(fileName).toBe('channels-2026-02-14.csv');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv);
    expect(rows[0]?.[0]).toBe('渠道 Channel');
    // card-a: ¥200.00 revenue, ¥2.00 per card; recall 0.02.
    expect(rows[1]).toEqual(['包裹卡', 'packageCard', 'A', 'card-a', '100', '0', '1', '2', '0.02', '4', '200', '2']);
    // Unattributed: o5 (¥30) + the A/B journey's customers, who have no channel: oj1 oj2 oj3 oj4 oj6
    // oh1 oh3 in the period (oj7 is before it) = ¥100 + 200 + 30 + 40 + 60 + 10 + 30 → 8 orders, ¥500.
    expect(rows[4]?.slice(0, 1).concat(rows[4]?.slice(9) ?? [])).toEqual(['未归因 Unattributed', '8', '500', '']);
    expect(csv).toContain('说明：订单归属于下单前 7 天内');
  });

  it('writes an operator-named cell that starts like a formula as text, so Excel never runs it', async () => {
    await h.db.sql.run('UPDATE Channel SET name = \'=HYPERLINK("http://evil.example","点我")\' WHERE id = \'ch-card\'');
    const { csv } = await h.as('viewer').reports.csv({ report: 'channels', input: { from: T0, to: T0 + 30 * DAY } });
    const rows = parse(csv);
    expect(rows[1]?.[0]).toBe('\'=HYPERLINK("http://evil.example","点我")');
    // Numbers stay numbers: only text cells are escaped.
    expect(rows[1]?.slice(4)).toEqual(['100', '0', '1', '2', '0.02', '4', '200', '2']);
  });
});

describe.each(databases)('CSV export on %s', (_name, open) => {
  it('exports every report', async () => {
    const sql = await open();
    await seedChannels(sql);
    await seedAbJourney(sql);
    const requests = [
      { report: 'funnel', input: { journeyId: 'j-ab' } },
      { report: 'abTest', input: { journeyId: 'j-ab', nodeId: 'split' } },
      { report: 'monitoring', input: { journeyId: 'j-ab', sendNodeId: 'smsA' } },
      { report: 'cohorts', input: { by: 'entryWeek' } },
      { report: 'holdout', input: { journeyId: 'j-ab' } },
    ] as const;
    const out = Object.fromEntries(
      await Promise.all(
        requests.map(
          async (r) => [r.report, parse((await reportCsv({ sql, registry, now: T0 + 40 * DAY }, r)).csv)] as const,
        ),
      ),
    );
    expect(out.funnel?.[1]).toEqual(['进入 Entered', '', '', '9', '1']);
    expect(out.funnel?.find((r) => r[1] === 'smsA')?.[3]).toBe('5');
    expect(out.abTest?.[2]?.slice(0, 5)).toEqual(['b', '文案 B', '4', '1', '0.25']);
    expect(out.abTest?.[2]?.[8]).toBe('0.2937');
    expect(out.monitoring?.[4]).toEqual(['24', '3', '2', '2', '300', '是 yes']);
    expect(out.cohorts?.find((r) => r[0] === '2026-01-05')?.[4]).toBe('0.666667');
    expect(out.holdout?.[1]).toEqual(['旅程组 Journey', '9', '4', '0.444444', '0.188779', '0.733349']);
  });
});
