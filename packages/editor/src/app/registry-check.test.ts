import { corePackage } from '@siyu/nodes-core';
import { smsPackage } from '@siyu/nodes-sms';
import { describe, expect, it } from 'vitest';
import { brandPackage } from '../model/clash-fixture.test-helper.ts';
import { buildEditorRegistry, fixtureSource } from './registry-check.ts';

describe('the editor registry at boot', () => {
  it('builds from the packages found', () => {
    const { registry, problems } = buildEditorRegistry([
      { pkg: corePackage, source: 'packages/nodes/core' },
      { pkg: smsPackage, source: 'packages/nodes/sms' },
      { pkg: corePackage, source: 'examples/re-export' },
    ]);
    expect(problems).toEqual([]);
    expect(registry.get('core.wait')).toBeDefined();
  });

  it('reports a node type two packages define, naming both and their folders, instead of throwing', () => {
    const { registry, problems } = buildEditorRegistry([
      { pkg: corePackage, source: 'packages/nodes/core' },
      { pkg: brandPackage, source: fixtureSource('../model/clash-fixture.test-helper.ts') },
    ]);
    expect(problems).toEqual([
      {
        kind: 'typeClash',
        type: 'core.wait',
        packages: [
          { name: 'core', source: 'packages/nodes/core' },
          { name: 'brand', source: 'model/clash-fixture.test-helper.ts' },
        ],
      },
    ]);
    expect(registry.list()).toEqual([]);
  });
});
