import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { nodePackagesPlugin } from './node-packages-plugin.ts';

export default defineConfig({
  plugins: [react(), nodePackagesPlugin()],
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000', '/r': 'http://127.0.0.1:3000' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Modules run in source order even when code splitting puts them in different chunks:
        // main.tsx imports zod-config.ts first so zod is jitless before any schema is built (its
        // JIT probe is an eval the CSP reports); without this, the chunk holding zod and the
        // shared schemas ran before it.
        strictExecutionOrder: true,
      },
    },
  },
});
