import { describe, expect, it } from 'vitest';
import { t } from './i18n.ts';
import { hasNodePackageMarker, isNodePackage } from './node-package-marker.ts';

describe('recognising node packages (one check for runtime and editor)', () => {
  it('counts only the exact marker', () => {
    expect(hasNodePackageMarker({ siyu: { nodePackage: true } })).toBe(true);
    for (const manifest of [
      { siyu: { nodePackage: 'true' } },
      { siyu: { nodepackage: true } },
      { siyu: true },
      {},
      null,
      'x',
    ]) {
      expect(hasNodePackageMarker(manifest), JSON.stringify(manifest)).toBe(false);
    }
  });

  it('takes an export with a name, a label and a nodes array as a NodePackage', () => {
    expect(isNodePackage({ name: 'x', label: t('甲', 'X'), nodes: [] })).toBe(true);
    for (const value of [{ name: 'x', label: null, nodes: [] }, { name: 'x', label: t('甲', 'X') }, 42, undefined]) {
      expect(isNodePackage(value)).toBe(false);
    }
  });
});
