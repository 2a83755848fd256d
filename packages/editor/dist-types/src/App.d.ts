/** Placeholder shell until the editor issue lands: proves the build and the static serving. */
export declare function App(): import('react').JSX.Element;
