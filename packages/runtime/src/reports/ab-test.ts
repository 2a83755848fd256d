import { apiErrorDetail, type JourneyGraph, type LocalizedText, type NodeRegistry, t } from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';
import { integersOfJsonParam, placeholders } from '../db/sql-dialect.ts';
import { journeyVersions, ReportInputError } from './common.ts';
import { CONVERSION_RULE, runOutcomes } from './goal-conversion.ts';
import { type Interval, type ProportionTest, rate, twoProportionZTest } from './stats.ts';

export const AB_SPLIT_TYPE = 'core.abSplit';

export const SIGNIFICANCE_TEST: LocalizedText = t(
  '每个方案与对照方案（第一个方案）做双侧两比例 z 检验（合并方差，等同 2×2 卡方检验）；p < 0.05 为显著。置信区间为 95% Wilson 区间。',
  'Each variant against the control (the first variant): two-sided two-proportion z-test (pooled variance, the same as a 2×2 chi-square test); significant at p < 0.05. Intervals are 95 % Wilson intervals.',
);

export interface Comparison extends ProportionTest {
  /** Rate difference, variant − control (percentage points as a fraction). */
  difference: number;
  /** difference ÷ control rate (null when the control converted nobody). */
  relative: number | null;
}

export interface VariantResult {
  variantId: string;
  label: string;
  weight: number;
  entered: number;
  converted: number;
  rate: number | null;
  ci95: Interval | null;
  /** null for the control itself, or when there is nothing to test. */
  vsControl: Comparison | null;
}

export interface AbTestReport {
  journeyId: string;
  nodeId: string;
  controlId: string;
  /** The winner set on the live version (null while the test runs). */
  winner: string | null;
  /** Published versions whose runs are counted: those where the split had no winner yet. */
  versions: { id: string; version: number }[];
  variants: VariantResult[];
  /** The variant strictly ahead of all others (null on a tie or with one variant), and whether significantly. */
  leader: { variantId: string; significant: boolean } | null;
  definition: LocalizedText;
  test: LocalizedText;
  warnings: LocalizedText[];
}

interface SplitConfig {
  variants: { id: string; label: string; weight: number }[];
  winner?: string;
}

export function splitNode(graph: JourneyGraph, nodeId: string) {
  const node = graph.nodes.find((n) => n.id === nodeId && n.type === AB_SPLIT_TYPE);
  return node ? { node, config: node.config as unknown as SplitConfig } : undefined;
}

/** Compares one variant's conversion with the control's. */
export function compare(
  variant: { successes: number; n: number },
  control: { successes: number; n: number },
): Comparison | null {
  const test = twoProportionZTest(variant, control);
  if (!test) return null;
  const pv = variant.successes / variant.n;
  const pc = control.successes / control.n;
  return { ...test, difference: pv - pc, relative: pc > 0 ? (pv - pc) / pc : null };
}

/**
 * Conversion per variant of one A/B split. A run's variant is the port it left the split by: the
 * StepLog `move` row from the split to a port's target (the engine logs moves by node, so the
 * version's edges map target → port). Only versions where the split had no winner are counted,
 * so customers sent to a promoted winner do not inflate its numbers.
 */
export async function abTestReport(
  sql: SqlClient,
  registry: NodeRegistry,
  input: { journeyId: string; nodeId: string },
): Promise<AbTestReport> {
  const journey = await journeyVersions(sql, input.journeyId);
  const withNode = journey.versions.flatMap((v) => {
    const split = splitNode(v.graph, input.nodeId);
    return split ? [{ ...v, split }] : [];
  });
  const current =
    withNode.find((v) => v.id === journey.liveVersionId) ?? withNode.at(-1) ?? draftSplit(journey.draft, input.nodeId);
  if (!current) {
    throw new ReportInputError(apiErrorDetail('abTest.noSplit', { node: input.nodeId }), 'NOT_FOUND');
  }
  const warnings: LocalizedText[] = [];
  const testVersions = withNode.filter((v) => v.split.config.winner === undefined);
  const { converted } = await runOutcomes(sql, registry, input.journeyId, testVersions);
  // Converted run ids go to SQL as one JSON array, so runs are counted per variant on the covering
  // StepLog index without reading 100k rows into JavaScript.
  const convertedIds = JSON.stringify([...converted.keys()]);
  const tally = new Map<string, { n: number; successes: number }>();
  for (const version of testVersions) {
    const portsByTarget = new Map<string, string[]>();
    for (const edge of version.graph.edges) {
      if (edge.source !== input.nodeId) continue;
      portsByTarget.set(edge.target, [...(portsByTarget.get(edge.target) ?? []), edge.sourcePort]);
    }
    const targets = [...portsByTarget].filter(([target, ports]) => {
      if (ports.length === 1) return true;
      warnings.push(
        t(
          `v${version.version}：方案 ${ports.join('、')} 连到同一节点 ${target}，无法区分，未计入`,
          `v${version.version}: variants ${ports.join(', ')} lead to the same node ${target} and cannot be told apart; not counted`,
        ),
      );
      return false;
    });
    if (targets.length === 0) continue;
    // Distinct runs per target: a run that passes the split again (a loop) is counted once, and
    // within a version it always takes the same variant (the split is deterministic per customer).
    const counts = await sql.all<{ nodeId: string; runs: number; convertedRuns: number }>(
      `SELECT nodeId, count(DISTINCT instanceId) AS runs,
         count(DISTINCT CASE WHEN instanceId IN (${integersOfJsonParam(sql.dialect)}) THEN instanceId END)
           AS convertedRuns
       FROM StepLog
       WHERE journeyId = ? AND kind = 'move' AND nodeId IN (${placeholders(targets.length)})
         AND fromNodeId = ? AND versionId = ?
       GROUP BY nodeId`,
      [convertedIds, input.journeyId, ...targets.map(([target]) => target), input.nodeId, version.id],
    );
    const portOf = new Map(targets.map(([target, ports]) => [target, ports[0] as string]));
    for (const { nodeId, runs, convertedRuns } of counts) {
      const variant = portOf.get(nodeId) as string;
      const cell = tally.get(variant) ?? { n: 0, successes: 0 };
      cell.n += runs;
      cell.successes += convertedRuns;
      tally.set(variant, cell);
    }
  }
  const config = current.split.config;
  const controlId = (config.variants[0] as { id: string }).id;
  const control = tally.get(controlId) ?? { n: 0, successes: 0 };
  const variants = config.variants.map((v): VariantResult => {
    const cell = tally.get(v.id) ?? { n: 0, successes: 0 };
    const r = rate(cell.successes, cell.n);
    return {
      variantId: v.id,
      label: v.label,
      weight: v.weight,
      entered: cell.n,
      converted: cell.successes,
      rate: r.rate,
      ci95: r.ci95,
      vsControl: v.id === controlId ? null : compare(cell, control),
    };
  });
  return {
    journeyId: input.journeyId,
    nodeId: input.nodeId,
    controlId,
    winner: config.winner ?? null,
    versions: testVersions.map((v) => ({ id: v.id, version: v.version })),
    variants,
    leader: leaderOf(variants, tally),
    definition: CONVERSION_RULE,
    test: SIGNIFICANCE_TEST,
    warnings,
  };
}

/**
 * The variant ahead: a higher conversion rate than every other variant that has runs. None while
 * fewer than two variants have runs or the best rate is shared (0 % against 0 % leads nothing).
 * Its lead is significant when it beats every other variant at p < 0.05.
 */
export function leaderOf(variants: VariantResult[], tally: Map<string, { n: number; successes: number }>) {
  const ranked = variants.filter((v) => v.rate !== null).sort((a, b) => (b.rate as number) - (a.rate as number));
  const [best, second] = ranked;
  if (!best || !second || (best.rate as number) <= (second.rate as number)) return null;
  const bestCell = tally.get(best.variantId) as { n: number; successes: number };
  const significant = variants.every((other) => {
    if (other.variantId === best.variantId) return true;
    const cell = tally.get(other.variantId);
    const test = cell ? compare(bestCell, cell) : null;
    return test?.significant === true && test.difference > 0;
  });
  return { variantId: best.variantId, significant };
}

/** A split that exists only on the draft (never published): report its variants with no data. */
function draftSplit(draft: string, nodeId: string) {
  const split = splitNode(JSON.parse(draft) as JourneyGraph, nodeId);
  return split ? { split } : undefined;
}
