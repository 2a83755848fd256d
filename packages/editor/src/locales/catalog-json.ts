/**
 * Catalog files are nested JSON (i18next's `.` key separator); the codemod and the checks work on
 * flat keys. Keys are written sorted, so a run writes the same file for the same keys.
 */

export function flattenCatalog(tree: unknown, where: string, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  if (!tree || typeof tree !== 'object' || Array.isArray(tree))
    throw new Error(`${where}: ${prefix || 'the file'} is not an object`);
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat[path] = value;
    else Object.assign(flat, flattenCatalog(value, where, path));
  }
  return flat;
}

export function nestCatalog(flat: Record<string, string>): Record<string, unknown> {
  const tree: Record<string, unknown> = {};
  for (const key of Object.keys(flat).sort()) {
    const parts = key.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = flat[key];
  }
  return tree;
}
