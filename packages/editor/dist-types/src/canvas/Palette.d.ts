export declare const DRAG_MIME = "application/x-siyu-node-type";
/** Every node type in the registry, grouped by category; drag onto the canvas or click to add. */
export declare function Palette({ onAdd }: {
    onAdd: (type: string) => void;
}): import("react").JSX.Element;
