import { type EdgeProps } from '@xyflow/react';
/** An edge with a "+" in the middle that inserts a node between its two ends. */
export declare function InsertableEdge(props: EdgeProps): import("react").JSX.Element;
