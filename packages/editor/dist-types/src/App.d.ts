/** Journey list and editor. `?demo=300` opens a generated 300-node journey (performance checks). */
export declare function App(): import("react").JSX.Element;
