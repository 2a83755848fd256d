/**
 * Where a customer's tag came from, in words: "手动添加", "导入", "旅程「新客欢迎」" — not the stored
 * source (`manual`, `import`, `journey:<id>`). `journeyName` names a journey by id (the profile's runs).
 */
export function tagOrigin(
  source: string | null,
  journeyName: (id: string) => string | undefined,
  locale: 'zh-CN' | 'en',
): string {
  const en = locale === 'en';
  if (source === 'manual') return en ? 'added by hand' : '手动添加';
  if (source === 'import') return en ? 'imported' : '导入';
  if (source?.startsWith('journey:')) {
    const name = journeyName(source.slice('journey:'.length));
    if (name) return en ? `journey “${name}”` : `旅程「${name}」`;
    return en ? 'a journey' : '旅程';
  }
  return en ? 'unknown' : '来源未知';
}
