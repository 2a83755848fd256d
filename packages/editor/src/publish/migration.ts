/**
 * Where in-flight customers go when they move to a new version: each node that has customers now
 * maps to the node with the same id in the new version by default; a node the new version lacks
 * has no default (its customers stay on their version unless the operator picks a node).
 */
export function defaultMapping(occupied: readonly string[], newNodeIds: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(occupied.filter((id) => newNodeIds.has(id)).map((id) => [id, id]));
}

/** Customers that would stay behind with a mapping (their node maps nowhere). */
export function unmappedCount(
  occupied: readonly { nodeId: string; waiting: number }[],
  mapping: Readonly<Record<string, string>>,
): number {
  return occupied.filter((n) => !mapping[n.nodeId]).reduce((sum, n) => sum + n.waiting, 0);
}
