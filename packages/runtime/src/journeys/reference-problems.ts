// Validate- and publish-time check that every workspace resource a graph names exists (channels,
// coupon stocks, segments, credentials of the right type); otherwise the first customer to reach
// the node would fail there, in the server log, after the editor had said "ready to publish".
import { type GraphProblem, type JourneyGraph, type NodeRegistry, resourceProblems, validateGraph } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { smsTemplateProblems } from './sms-template-problems.ts';
import { workspaceResolvers } from './workspace-resources.ts';

export async function referenceProblems(
  db: AppDatabase,
  registry: NodeRegistry,
  graph: JourneyGraph,
): Promise<GraphProblem[]> {
  return [
    ...(await resourceProblems(graph, registry, workspaceResolvers(db))),
    ...(await smsTemplateProblems(db, graph)),
  ];
}

/** Everything publishing refuses: the graph's own problems, then references to missing resources. */
export async function publishProblems(
  db: AppDatabase,
  registry: NodeRegistry,
  graph: JourneyGraph,
): Promise<GraphProblem[]> {
  return [...validateGraph(graph, registry), ...(await referenceProblems(db, registry, graph))];
}
