import type { GraphProblem } from '@siyu/shared';
import { useLocale } from './i18n.ts';

/** Every validation problem; clicking one selects (and scrolls to) its node. */
export function ProblemsPanel(props: { problems: GraphProblem[]; onSelect: (nodeId: string) => void }) {
  const { loc, tr } = useLocale();
  return (
    <div className="problems" data-testid="problems">
      <div className="problems-head">
        {props.problems.length === 0
          ? `✅ ${tr('没有问题，可以发布', 'No problems: ready to publish')}`
          : `⚠️ ${tr(`${props.problems.length} 个问题`, `${props.problems.length} problem(s)`)}`}
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
              {loc(p.message)}
              {p.nodeId && <span className="muted mono"> · {p.nodeId}</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
