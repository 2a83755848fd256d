import { describe, expect, it } from 'vitest';
import { createHarness } from '../trpc/harness.test-helper.ts';

describe('column mapping presets through the API', () => {
  it('saves, lists, uses and deletes a preset; an import records the mapping it used', async () => {
    const h = await createHarness();
    try {
      const operator = h.as('operator');
      await operator.audiences.saveMappingPreset({ name: '天猫订单导出', mapping: { 'Tel (mobile)': 'phone' } });
      // Saving under the same name replaces it.
      await operator.audiences.saveMappingPreset({
        name: '天猫订单导出',
        mapping: { 'Tel (mobile)': 'phone', Member: 'externalId' },
      });
      const presets = await h.as('viewer').audiences.mappingPresets();
      expect(presets.map((p) => [p.name, p.mapping])).toEqual([
        ['天猫订单导出', { 'Tel (mobile)': 'phone', Member: 'externalId' }],
      ]);
      const contentBase64 = Buffer.from('Tel (mobile),Member,Level\n13800000021,M-21,gold\n').toString('base64');
      const preview = await operator.audiences.previewImport({
        contentBase64,
        preset: '天猫订单导出',
        mapping: { Level: 'ignore' },
      });
      expect(preview.columns.map((c) => [c.field, c.chosen])).toEqual([
        ['phone', true],
        ['externalId', true],
        ['ignore', true],
      ]);
      const report = await operator.audiences.import({ fileName: 'tmall.csv', contentBase64, preset: '天猫订单导出' });
      expect(report).toMatchObject({ status: 'committed', created: 1 });
      const [batch] = await h.as('viewer').audiences.imports();
      expect(JSON.parse(batch?.mapping ?? '')).toEqual({ 'Tel (mobile)': 'phone', Member: 'externalId' });
      await expect(operator.audiences.import({ fileName: 'x.csv', contentBase64, preset: '京东' })).rejects.toThrow(
        /No column mapping named "京东" \(saved: 天猫订单导出\)/,
      );
      await expect(h.as('viewer').audiences.saveMappingPreset({ name: 'x', mapping: {} })).rejects.toThrow();
      expect(await operator.audiences.deleteMappingPreset({ name: '天猫订单导出' })).toEqual({ deleted: true });
      expect(await h.as('viewer').audiences.mappingPresets()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
