/**
 * Names for a list of things as people see them, each told apart from the others of the same name
 * by its place among them ("发送短信 #2"): two unnamed SMS nodes, two variants both called 文案 A.
 * A name nothing else shares stays as it is. Returns id → name.
 */
export function distinctNames<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  nameOf: (item: T) => string,
): Map<string, string> {
  const count = new Map<string, number>();
  for (const item of items) count.set(nameOf(item), (count.get(nameOf(item)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const names = new Map<string, string>();
  for (const item of items) {
    const name = nameOf(item);
    if ((count.get(name) ?? 0) < 2) {
      names.set(idOf(item), name);
      continue;
    }
    const place = (seen.get(name) ?? 0) + 1;
    seen.set(name, place);
    names.set(idOf(item), `${name} #${place}`);
  }
  return names;
}
