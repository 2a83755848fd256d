import type { GraphProblem } from '@siyu/shared';
/** Every validation problem; clicking one selects (and scrolls to) its node. */
export declare function ProblemsPanel(props: {
    problems: GraphProblem[];
    onSelect: (nodeId: string) => void;
}): import("react").JSX.Element;
