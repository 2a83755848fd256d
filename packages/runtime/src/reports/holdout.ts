import { type LocalizedText, type NodeRegistry, t } from '@siyu/shared';
import type { SqlClient } from '../db/sql-client.ts';
import { type Comparison, compare } from './ab-test.ts';
import { journeyVersions } from './common.ts';
import { CONVERSION_RULE, convertedIn, runOutcomes } from './goal-conversion.ts';
import { type Interval, rate } from './stats.ts';

export interface GroupResult {
  entered: number;
  converted: number;
  rate: number | null;
  ci95: Interval | null;
}

export interface HoldoutReport {
  journeyId: string;
  /** The journey's holdout percentage on the live version (0 = no control group). */
  holdoutPercent: number;
  /** Whether any published version has a conversion goal: without one, held-out runs cannot convert. */
  goalDefined: boolean;
  journey: GroupResult;
  control: GroupResult;
  /** Journey group against the control group: difference = uplift in rate, relative = ÷ control rate. */
  uplift: Comparison | null;
  definition: LocalizedText;
  test: LocalizedText;
}

/**
 * Goal conversion of the held-out control group (entered, received nothing) against the journey
 * group: the journey's measured effect. Both groups are judged by the same conversion rule.
 */
export async function holdoutReport(
  sql: SqlClient,
  registry: NodeRegistry,
  input: { journeyId: string },
): Promise<HoldoutReport> {
  const journey = await journeyVersions(sql, input.journeyId);
  const outcomes = await runOutcomes(sql, registry, input.journeyId, journey.versions);
  const group = (holdout: boolean) => {
    const entered = holdout ? outcomes.entered.holdout : outcomes.entered.journey;
    const converted = convertedIn(outcomes, holdout);
    const r = rate(converted, entered);
    return { entered, converted, rate: r.rate, ci95: r.ci95 };
  };
  const inJourney = group(false);
  const control = group(true);
  const live = journey.versions.find((v) => v.id === journey.liveVersionId) ?? journey.versions.at(-1);
  return {
    journeyId: input.journeyId,
    holdoutPercent: live?.graph.settings.holdoutPercent ?? 0,
    goalDefined: journey.versions.some((v) => v.graph.settings.goal !== undefined),
    journey: inJourney,
    control,
    uplift: compare(
      { successes: inJourney.converted, n: inJourney.entered },
      { successes: control.converted, n: control.entered },
    ),
    definition: CONVERSION_RULE,
    test: t(
      '旅程组与对照组做双侧两比例 z 检验（合并方差，等同 2×2 卡方检验）；p < 0.05 为显著。提升 = 旅程组转化率 − 对照组转化率；相对提升 = 提升 ÷ 对照组转化率。置信区间为 95% Wilson 区间。',
      'Journey group against control group: two-sided two-proportion z-test (pooled variance, the same as a 2×2 chi-square test); significant at p < 0.05. Uplift = journey rate − control rate; relative uplift = uplift ÷ control rate. Intervals are 95 % Wilson intervals.',
    ),
  };
}
