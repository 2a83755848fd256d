import { type JourneyGraph } from '@siyu/shared';
export declare function Editor(props: {
    graph: JourneyGraph;
    onChange: (graph: JourneyGraph) => void;
    onPublish: (graph: JourneyGraph) => void;
    title: React.ReactNode;
}): import("react").JSX.Element;
