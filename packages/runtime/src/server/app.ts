import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { Database } from '../db/database.ts';

export interface AppOptions {
  db: Database;
  editorDist: string;
}

/**
 * The one express app: health check, API and webhooks (mounted by later layers), and the editor's
 * static build with a history-API fallback so deep links like /journeys/123 load the editor.
 */
export function createApp({ db, editorDist }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    const row = db.sqlite.prepare('SELECT count(*) AS n FROM _prisma_migrations').get() as { n: number };
    res.json({ ok: true, migrations: row.n });
  });
  if (existsSync(join(editorDist, 'index.html'))) {
    app.use(express.static(editorDist, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => res.sendFile(join(editorDist, 'index.html')));
  } else {
    app.get('/', (_req, res) =>
      res.type('text/plain').send('Editor not built: run `pnpm --filter @siyu/editor build` (pnpm start does it).'),
    );
  }
  return app;
}
