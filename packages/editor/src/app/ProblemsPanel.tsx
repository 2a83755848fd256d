import type { GraphProblem, JourneyGraph } from '@siyu/shared';
import type { z } from 'zod';
import { useLocale } from './i18n.ts';
import { nodeTitle } from './node-title.ts';
import { problemText } from './problem-labels.ts';
import { registry } from './registry.ts';

/**
 * Every validation problem; clicking one selects (and scrolls to) its node. `configOf` gives a
 * node's config schema, so a bad setting is named by its form label rather than its config key;
 * the node is named by its title on the canvas (`graph`), never its id.
 */
export function ProblemsPanel(props: {
  problems: GraphProblem[];
  onSelect: (nodeId: string) => void;
  configOf: (nodeId: string) => z.ZodType | undefined;
  graph: JourneyGraph;
}) {
  const { locale, t, loc } = useLocale();
  return (
    <div className="problems" data-testid="problems">
      <div className="problems-head">
        {props.problems.length === 0
          ? `✅ ${t('app:problemsPanel.noProblemsReadyToPublish')}`
          : `⚠️ ${t('app:problemsPanel.countProblems', { count: props.problems.length })}`}
      </div>
      <ul className="problem-list">
        {props.problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: two problems may share every field
          <li key={`${p.code}-${p.nodeId ?? ''}-${p.edgeId ?? ''}-${p.path ?? ''}-${i}`}>
            <button
              type="button"
              disabled={!p.nodeId}
              onClick={() => p.nodeId && props.onSelect(p.nodeId)}
              data-problem={p.code}
            >
              {problemText(p, p.nodeId ? props.configOf(p.nodeId) : undefined, locale)}
              {p.nodeId && (
                <span className="muted" data-node-id={p.nodeId}>
                  {' '}
                  · {nodeTitle(props.graph, p.nodeId, registry, loc, t('app:problemsPanel.unknownNode'))}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
