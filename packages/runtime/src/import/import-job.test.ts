// An import as a job: the event loop turns between chunks (other requests are served while a large
// file is written), progress is stored on the batch per chunk, and the preview's read is reused.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { startImport } from './import-customers.ts';
import { previewImport } from './preview-import.ts';
import * as readTableModule from './read-table.ts';
import { CHUNK_ROWS } from './write-chunks.ts';

const cleanups = cleanupAfterEach();
let db: Database;
beforeEach(async () => {
  db = await scratchDatabase('import-job', cleanups);
});

const csv = (rows: number) =>
  new TextEncoder().encode(
    `手机号,姓名\n${Array.from({ length: rows }, (_, i) => `139${String(i).padStart(8, '0')},客户${i}`).join('\n')}\n`,
  );

describe('startImport', () => {
  it('answers before the rows are written, turns the event loop between chunks and stores the progress', async () => {
    const rows = CHUNK_ROWS * 3 + 10;
    let turns = 0;
    let ticking = true;
    const tick = () => {
      turns++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const progress: number[] = [];
    const { report, done } = await startImport(db, csv(rows), {
      fileName: 'big.csv',
      mode: 'skipInvalid',
      onProgress: (written) => {
        progress.push(written);
        const stored = db.sqlite.prepare('SELECT processedRows FROM ImportBatch WHERE id = ?').get(report.batchId) as {
          processedRows: number;
        };
        // The chunk's transaction records its progress with its rows.
        expect(stored.processedRows).toBe(written);
      },
    });
    expect(report.status).toBe('running');
    const turnsAtStart = turns;
    const final = await done;
    ticking = false;
    expect(final).toMatchObject({ status: 'committed', created: rows });
    expect(progress).toEqual([CHUNK_ROWS, CHUNK_ROWS * 2, CHUNK_ROWS * 3, rows]);
    expect(turns - turnsAtStart).toBeGreaterThanOrEqual(4);
    const batch = db.sqlite.prepare('SELECT status, processedRows, finishedAt FROM ImportBatch').get() as {
      status: string;
      processedRows: number;
      finishedAt: string | null;
    };
    expect(batch).toMatchObject({ status: 'committed', processedRows: rows });
    expect(batch.finishedAt).not.toBeNull();
  });

  it('reads a file once for its preview and its import', async () => {
    const read = vi.spyOn(readTableModule, 'readTable');
    const bytes = csv(20);
    await previewImport(bytes);
    const { done } = await startImport(db, bytes, { fileName: 'f.csv', mode: 'strict' });
    expect((await done).created).toBe(20);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
