import { describe, expect, it } from 'vitest';
import { renderTemplate } from './template.ts';

describe('renderTemplate', () => {
  it('fills Chinese attribute names, nested or flattened', () => {
    const vars = { displayName: '张丽', 等级: '金卡', attributes: { 等级: '金卡', city: '上海' } };
    expect(
      renderTemplate('{{displayName}}，您的{{ attributes.等级 }}会员（{{等级}}）在{{attributes.city}}', vars),
    ).toBe('张丽，您的金卡会员（金卡）在上海');
  });

  it('renders a missing value as nothing and leaves what is not a placeholder alone', () => {
    expect(renderTemplate('{{没有}}|{{a b}}|{{}}|{ {x} }', { x: 1 })).toBe('|{{a b}}|{{}}|{ {x} }');
  });
});
