/** Journey list and editor over localStorage (no server). `?demo=300` opens a generated 300-node journey (performance checks). */
export declare function LocalApp(): import("react").JSX.Element;
/** Uses the server when one answers at /trpc; otherwise the browser-only journey store. */
export declare function App(): import("react").JSX.Element | null;
