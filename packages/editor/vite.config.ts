import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { nodePackagesPlugin } from './node-packages-plugin.ts';

export default defineConfig({
  plugins: [react(), nodePackagesPlugin()],
  server: { proxy: { '/trpc': 'http://127.0.0.1:3000', '/r': 'http://127.0.0.1:3000' } },
  build: { outDir: 'dist', emptyOutDir: true },
});
