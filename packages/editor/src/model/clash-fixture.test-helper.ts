// Built into the editor only with `vite build --mode e2e-clash` (test/editor/boot-error.test.ts):
// a brand's package that defines a type the core package already defines.
import { defineNode, defineNodePackage, t } from '@siyu/shared';
import { z } from 'zod';

export const brandWait = defineNode({
  type: 'core.wait',
  version: 1,
  category: 'flow',
  icon: 'clock',
  label: t('品牌等待', 'Brand wait'),
  config: z.object({}),
  defaultConfig: {},
  outputs: [{ id: 'next', label: t('继续', 'Next') }],
});

export const brandPackage = defineNodePackage({ name: 'brand', label: t('品牌', 'Brand'), nodes: [brandWait] });
