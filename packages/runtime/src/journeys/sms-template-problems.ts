// SMS nodes that pick a registered template must give each of its variables a value source; which
// variables a template has is in the workspace (SmsTemplate), so only the server can say which are
// left unmapped. A missing template is `resourceMissing` (workspace-resources.ts), not repeated here.
import { unmappedVariables } from '@siyu/nodes-sms';
import { type GraphProblem, type JourneyGraph, PROBLEM_MESSAGES } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';

export async function smsTemplateProblems(db: AppDatabase, graph: JourneyGraph): Promise<GraphProblem[]> {
  const nodes = graph.nodes.flatMap((node) => {
    if (node.type !== 'sms.send') return [];
    const config = (node.config ?? {}) as { templateId?: unknown; variables?: unknown };
    if (typeof config.templateId !== 'string' || config.templateId.trim() === '') return [];
    const variables =
      config.variables && typeof config.variables === 'object' ? (config.variables as Record<string, never>) : {};
    return [{ nodeId: node.id, templateId: config.templateId.trim(), variables }];
  });
  if (nodes.length === 0) return [];
  const templates = await db.prisma.smsTemplate.findMany({
    where: { id: { in: [...new Set(nodes.map((n) => n.templateId))] } },
    select: { id: true, text: true },
  });
  const textOf = new Map(templates.map((t) => [t.id, t.text]));
  return nodes.flatMap(({ nodeId, templateId, variables }) => {
    const text = textOf.get(templateId);
    if (text === undefined) return [];
    return unmappedVariables(text, variables).map(
      (variable): GraphProblem => ({
        code: 'smsVariableUnmapped',
        nodeId,
        path: `variables.${variable}`,
        params: { variable },
        message: PROBLEM_MESSAGES.smsVariableUnmapped({ variable }),
      }),
    );
  });
}
