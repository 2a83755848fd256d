import type { JourneyNode, LocalizedText, NodeDefinition } from '@siyu/shared';

/**
 * Names for report rows that tell nodes apart: the operator's label, else the type's label with
 * the node's own name from its config (a goal's "目标名称"), else the type's label alone. Two rows
 * that would still read the same (two unnamed goals) get "#1", "#2" in graph order, so a funnel
 * with two goal nodes never shows two identical "达成目标" rows.
 */
export function stepLabels(
  rows: { node: JourneyNode | undefined; definition: Pick<NodeDefinition, 'label'> | undefined }[],
): (LocalizedText | null)[] {
  const base = rows.map(({ node, definition }): LocalizedText | null => {
    if (node?.label) return { 'zh-CN': node.label, en: node.label };
    if (!definition) return null;
    const name = (node?.config as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && name.trim() !== '') {
      return { 'zh-CN': `${definition.label['zh-CN']} · ${name}`, en: `${definition.label.en} · ${name}` };
    }
    return definition.label;
  });
  const seen = new Map<string, number>();
  for (const label of base) if (label) seen.set(label['zh-CN'], (seen.get(label['zh-CN']) ?? 0) + 1);
  const nth = new Map<string, number>();
  return base.map((label) => {
    if (!label || (seen.get(label['zh-CN']) ?? 0) < 2) return label;
    const n = (nth.get(label['zh-CN']) ?? 0) + 1;
    nth.set(label['zh-CN'], n);
    return { 'zh-CN': `${label['zh-CN']} #${n}`, en: `${label.en} #${n}` };
  });
}
