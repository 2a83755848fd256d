// `pnpm bench` hands each bench the arguments meant for it (pnpm appends them to a script's last command).
import { describe, expect, it } from 'vitest';
import { benchArgs, pickBench } from './main.ts';

describe('pnpm bench', () => {
  it('runs the SQLite bench by default and the PostgreSQL one on --backend postgres, without the flag for run.ts', () => {
    expect(pickBench(['--customers', '2000'])).toEqual({ backend: 'sqlite', rest: ['--customers', '2000'] });
    expect(pickBench(['--backend', 'postgres', '--workers', '3'])).toEqual({
      backend: 'postgres',
      rest: ['--workers', '3'],
    });
    expect(pickBench(['--customers', '500', '--backend=sqlite'])).toEqual({
      backend: 'sqlite',
      rest: ['--customers', '500'],
    });
    expect(pickBench(['--backend'])).toEqual({ backend: '', rest: [] });
  });

  it('takes `pnpm bench -- --customers N` as `pnpm bench --customers N` (pnpm passes the `--` on)', () => {
    expect(pickBench(benchArgs(['--', '--customers', '1000']))).toEqual({
      backend: 'sqlite',
      rest: ['--customers', '1000'],
    });
  });
});
