// Publish-time check that every credential a node names exists and has the type its field
// expects; otherwise the first customer to reach the node would fail there instead.
import {
  credentialRefsOf,
  type GraphProblem,
  type JourneyGraph,
  type NodeRegistry,
  PROBLEM_MESSAGES,
} from '@siyu/shared';
import type { Database } from '../db/database.ts';

export async function credentialProblems(
  db: Database,
  registry: NodeRegistry,
  graph: JourneyGraph,
): Promise<GraphProblem[]> {
  const refs = graph.nodes.flatMap((node) => {
    const definition = registry.get(node.type);
    return definition ? credentialRefsOf(definition.config, node.config).map((ref) => ({ node, ref })) : [];
  });
  if (refs.length === 0) return [];
  const rows = await db.prisma.credential.findMany({
    where: { id: { in: [...new Set(refs.map((r) => r.ref.id))] } },
    select: { id: true, type: true, name: true },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const problems: GraphProblem[] = [];
  for (const { node, ref } of refs) {
    const row = byId.get(ref.id);
    if (!row) {
      problems.push({
        code: 'credentialMissing',
        nodeId: node.id,
        path: ref.path,
        message: PROBLEM_MESSAGES.credentialMissing(),
      });
    } else if (row.type !== ref.type) {
      problems.push({
        code: 'credentialWrongType',
        nodeId: node.id,
        path: ref.path,
        message: PROBLEM_MESSAGES.credentialWrongType({ name: row.name, expected: ref.type, actual: row.type }),
      });
    }
  }
  return problems;
}
