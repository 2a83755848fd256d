import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

describe('workspace settings', () => {
  it('reads defaults, stores what an admin sets, and only an admin may set it', async () => {
    expect(await h.as('viewer').settings.get()).toEqual({ smsPricePerPartYuan: 0.045 });
    expect(await h.as('admin').settings.update({ smsPricePerPartYuan: 0.038 })).toEqual({ smsPricePerPartYuan: 0.038 });
    expect(await h.as('viewer').settings.get()).toEqual({ smsPricePerPartYuan: 0.038 });
    await expect(h.as('operator').settings.update({ smsPricePerPartYuan: 0.01 })).rejects.toThrow();
    await expect(h.as('admin').settings.update({ smsPricePerPartYuan: -1 })).rejects.toThrow(/smsPricePerPartYuan/);
  });

  it('reads a stored value that no longer parses as its default', async () => {
    await h.db.prisma.workspaceSetting.create({ data: { key: 'smsPricePerPartYuan', value: '"cheap"' } });
    expect(await h.as('viewer').settings.get()).toEqual({ smsPricePerPartYuan: 0.045 });
  });
});
