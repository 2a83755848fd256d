import { type NodeProps } from '@xyflow/react';
import { type FlowNode } from '../model/flow-graph.ts';
/** A node on the canvas: icon, title, config summary, and one labelled handle per output port. */
declare function JourneyNodeCardImpl({ id, data, selected }: NodeProps<FlowNode>): import("react").JSX.Element;
export declare const JourneyNodeCard: import("react").MemoExoticComponent<typeof JourneyNodeCardImpl>;
export {};
