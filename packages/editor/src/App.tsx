import { createNodeRegistry, localize } from '@siyu/shared';

const registry = createNodeRegistry([]);

/** Placeholder shell until the editor issue lands: proves the build and the static serving. */
export function App() {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', padding: 24 }}>
      <h1>私域旅程</h1>
      <p>
        旅程编辑器正在建设中。节点类型：
        {registry
          .list()
          .map((n) => localize(n.label))
          .join('、') || '（暂无）'}
      </p>
    </main>
  );
}
