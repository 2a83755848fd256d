// One exporter per report: it runs the report and lays its result out as a table. Headers carry
// both languages (`步骤 Step`) so one file serves every operator; the report's rules follow as notes.
import { type LocalizedText, localize, type NodeRegistry } from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';
import { abTestReport } from './ab-test.ts';
import { channelsReport } from './channels.ts';
import { cohortsReport } from './cohorts.ts';
import { funnelReport } from './funnel.ts';
import { holdoutReport } from './holdout.ts';
import type { CsvRequest } from './inputs.ts';
import { monitoringReport } from './monitoring.ts';

export interface ReportDeps {
  sql: SqlClient;
  registry: NodeRegistry;
  now: number;
}

type Cell = string | number | null;
export type Table = { header: string[]; rows: Cell[][]; notes: LocalizedText[] };
type ReportName = CsvRequest['report'];
type Exporter<R extends ReportName> = (
  deps: ReportDeps,
  input: Extract<CsvRequest, { report: R }>['input'],
) => Promise<Table>;

const yuan = (cents: number | null) => (cents === null ? null : Math.round(cents) / 100);
const ratio = (x: number | null | undefined) => (x === null || x === undefined ? null : Number(x.toFixed(6)));
const h = (zh: string, en: string) => `${zh} ${en}`;

const funnel: Exporter<'funnel'> = async (deps, input) => {
  const f = await funnelReport(deps.sql, deps.registry, input);
  return {
    header: [
      h('步骤', 'Step'),
      h('节点', 'Node'),
      h('类型', 'Type'),
      h('人次', 'Runs'),
      h('占进入比例', 'Share of entered'),
    ],
    rows: [
      [h('进入', 'Entered'), '', '', f.entered, f.entered > 0 ? 1 : null],
      ...f.steps.map((s): Cell[] => [
        s.label ? localize(s.label) : s.nodeId,
        s.nodeId,
        s.type,
        s.count,
        ratio(s.ofEntered),
      ]),
      [h('转化（达成任一目标）', 'Converted (any goal)'), '', '', f.goal.count, ratio(f.goal.ofEntered)],
      [h('对照组（未计入）', 'Held out (not counted)'), '', '', f.holdout, null],
    ],
    notes: [f.definition],
  };
};

const channels: Exporter<'channels'> = async (deps, input) => {
  const c = await channelsReport(deps.sql, input);
  return {
    header: [
      h('渠道', 'Channel'),
      h('类型', 'Kind'),
      h('方案', 'Variant'),
      h('渠道码', 'Code'),
      h('投放量', 'Delivered'),
      h('其中短信', 'of which SMS'),
      h('扫码/点击', 'Scans'),
      h('进入客户', 'Came in'),
      h('引流召回率', 'Recall rate'),
      h('归因订单', 'Orders'),
      h('归因销售额(元)', 'Revenue (CNY)'),
      h('单卡贡献(元)', 'Revenue per card (CNY)'),
    ],
    rows: [
      ...c.rows.map((x): Cell[] => [
        x.channelName,
        x.kind,
        x.variant,
        x.code,
        x.delivered,
        x.smsSent,
        x.scans,
        x.cameIn,
        ratio(x.recallRate),
        x.orders,
        yuan(x.revenueCents),
        x.revenuePerDeliveredCents === null ? null : Number((x.revenuePerDeliveredCents / 100).toFixed(4)),
      ]),
      [
        h('未归因', 'Unattributed'),
        '',
        '',
        '',
        null,
        null,
        null,
        null,
        null,
        c.unattributed.orders,
        yuan(c.unattributed.revenueCents),
        null,
      ],
    ],
    notes: [c.attribution.text],
  };
};

const abTest: Exporter<'abTest'> = async (deps, input) => {
  const a = await abTestReport(deps.sql, deps.registry, input);
  return {
    header: [
      h('方案', 'Variant'),
      h('名称', 'Label'),
      h('进入', 'Entered'),
      h('转化', 'Converted'),
      h('转化率', 'Rate'),
      h('95%区间下限', 'CI low'),
      h('95%区间上限', 'CI high'),
      h('与对照差值', 'Diff vs control'),
      h('p 值', 'p-value'),
      h('显著', 'Significant'),
    ],
    rows: a.variants.map((v): Cell[] => [
      v.variantId === a.controlId ? `${v.variantId} (${h('对照', 'control')})` : v.variantId,
      v.label,
      v.entered,
      v.converted,
      ratio(v.rate),
      ratio(v.ci95?.low),
      ratio(v.ci95?.high),
      ratio(v.vsControl?.difference),
      v.vsControl ? Number(v.vsControl.pValue.toPrecision(4)) : null,
      v.vsControl ? (v.vsControl.significant ? h('是', 'yes') : h('否', 'no')) : null,
    ]),
    notes: [a.definition, a.test, ...a.warnings],
  };
};

const monitoring: Exporter<'monitoring'> = async (deps, input) => {
  const m = await monitoringReport(deps.sql, input, deps.now);
  return {
    header: [
      h('发送后小时', 'Hours after send'),
      h('点击', 'Clicks'),
      h('进入', 'Entries'),
      h('订单', 'Orders'),
      h('销售额(元)', 'Revenue (CNY)'),
      h('已完整', 'Complete'),
    ],
    rows: m.points.map((p): Cell[] => [
      p.hours,
      p.clicks,
      p.entries,
      p.orders,
      yuan(p.revenueCents),
      p.complete ? h('是', 'yes') : h('否', 'no'),
    ]),
    notes: [m.definition, ...(m.attribution ? [m.attribution.text] : [])],
  };
};

const cohorts: Exporter<'cohorts'> = async (deps, input) => {
  const c = await cohortsReport(deps.sql, input);
  return {
    header: [
      c.by === 'entryWeek' ? h('入群周', 'Entry week') : h('渠道', 'Channel'),
      h('客户', 'Customers'),
      h('下单客户', 'Buyers'),
      h('复购客户', 'Repeat buyers'),
      h('复购率', 'Repurchase rate'),
      h('订单', 'Orders'),
      h('销售额(元)', 'Revenue (CNY)'),
      h('客单价(元)', 'AOV (CNY)'),
    ],
    rows: [
      ...c.cohorts.map((x): Cell[] => [
        x.label || h('无渠道', 'none'),
        x.customers,
        x.buyers,
        x.repeatBuyers,
        ratio(x.repurchaseRate),
        x.orders,
        yuan(x.revenueCents),
        x.averageOrderCents === null ? null : Number((x.averageOrderCents / 100).toFixed(2)),
      ]),
      [],
      [h('RFM 分层', 'RFM segment'), h('客户', 'Customers')],
      ...c.rfm.map((s): Cell[] => [`${s.label['zh-CN']} ${s.label.en}`, s.customers]),
    ],
    notes: [c.definition],
  };
};

const holdout: Exporter<'holdout'> = async (deps, input) => {
  const x = await holdoutReport(deps.sql, deps.registry, input);
  const row = (name: string, g: typeof x.journey): Cell[] => [
    name,
    g.entered,
    g.converted,
    ratio(g.rate),
    ratio(g.ci95?.low),
    ratio(g.ci95?.high),
  ];
  return {
    header: [
      h('组', 'Group'),
      h('进入', 'Entered'),
      h('转化', 'Converted'),
      h('转化率', 'Rate'),
      h('95%区间下限', 'CI low'),
      h('95%区间上限', 'CI high'),
    ],
    rows: [
      row(h('旅程组', 'Journey'), x.journey),
      row(h('对照组', 'Control'), x.control),
      [],
      [
        h('提升', 'Uplift'),
        ratio(x.uplift?.difference),
        h('相对提升', 'Relative'),
        ratio(x.uplift?.relative),
        h('p 值', 'p-value'),
        x.uplift ? Number(x.uplift.pValue.toPrecision(4)) : null,
      ],
    ],
    notes: [x.definition, x.test],
  };
};

const EXPORTERS: { [R in ReportName]: Exporter<R> } = { funnel, channels, abTest, monitoring, cohorts, holdout };

/** Runs the requested report and returns it as a table. */
export function exportTable(deps: ReportDeps, request: CsvRequest): Promise<Table> {
  const exporter = EXPORTERS[request.report] as Exporter<ReportName>;
  return exporter(deps, request.input as never);
}
