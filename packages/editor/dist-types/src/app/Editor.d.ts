import { type JourneyGraph } from '@siyu/shared';
import { type NodeStats } from './editor-context.ts';
export declare function Editor(props: {
    stats?: ReadonlyMap<string, NodeStats>;
    graph: JourneyGraph;
    onChange: (graph: JourneyGraph) => void;
    onPublish: (graph: JourneyGraph) => void;
    title: React.ReactNode;
}): import("react").JSX.Element;
