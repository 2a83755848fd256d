import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineLockError, takeEngineLock } from './engine-lock.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A child process that takes the lock and holds it until killed. */
function holdInChild(dbPath: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { takeEngineLock } from ${JSON.stringify(join(import.meta.dirname, 'engine-lock.ts'))};
       takeEngineLock(${JSON.stringify(dbPath)}); console.log('locked'); setInterval(() => {}, 1000);`,
    ],
    { cwd: join(import.meta.dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  return { child, locked };
}

describe('the SQLite engine lock', () => {
  it('lets one holder run the engine on a database file, and the next once it is released', () => {
    const db = join(dir, 'siyu.db');
    const first = takeEngineLock(db);
    expect(() => takeEngineLock(db)).toThrow(EngineLockError);
    expect(() => takeEngineLock(db)).toThrow(/SIYU_ROLE=all or worker per database file/);
    // Another database file is another lock.
    takeEngineLock(join(dir, 'other.db')).release();
    first.release();
    takeEngineLock(db).release();
  });

  it('is dropped by the operating system when its process is killed: no stale lock after a crash', async () => {
    const db = join(dir, 'siyu.db');
    const holder = holdInChild(db);
    await holder.locked;
    expect(() => takeEngineLock(db)).toThrow(EngineLockError);
    const exited = new Promise((resolve) => holder.child.once('exit', resolve));
    holder.child.kill('SIGKILL');
    await exited;
    takeEngineLock(db).release();
  }, 20_000);
});
