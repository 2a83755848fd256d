import './zod-config.ts';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { BootError } from './app/BootError.tsx';
import { i18nReady } from './app/i18n.ts';
import { queryClient } from './app/kit/query.ts';
import { registryProblems } from './app/registry.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Node packages that cannot be put together stop the editor with a readable screen, not a blank page.
if (registryProblems.length > 0) console.error('node packages clash', registryProblems);
// The first screen renders in the operator's language: English catalogs load on demand first.
void i18nReady.then(() =>
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        {registryProblems.length > 0 ? <BootError problems={registryProblems} /> : <App />}
      </QueryClientProvider>
    </StrictMode>,
  ),
);
