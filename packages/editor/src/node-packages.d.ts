/** Written by ../node-packages-plugin.ts at build time: every node package's browser entry. */
declare module 'virtual:siyu-node-packages' {
  const found: ReadonlyArray<{ source: string; module: Record<string, unknown> }>;
  export default found;
}
