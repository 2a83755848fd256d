import { type GraphProblem, type JourneySettings } from '@siyu/shared';
import type { FlowNode } from '../model/flow-graph.ts';
/** Right-hand panel: the selected node's generated config form, or the journey settings. */
export declare function Inspector(props: {
    node: FlowNode | undefined;
    problems: GraphProblem[];
    settings: JourneySettings;
    onSettings: (settings: JourneySettings) => void;
}): import("react").JSX.Element;
