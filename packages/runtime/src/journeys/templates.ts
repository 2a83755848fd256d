// The template gallery: journeys the example loader made (examples/*/journey.json) and nobody
// published are templates, listed apart from the operator's journeys. A template names the
// playbook's own channel and coupon stocks, which do not exist in a new workspace; creating a
// journey from it walks through each such reference (pick one of yours) before the copy is made.
import { type GraphProblem, type JourneyGraph, type LocalizedText, type NodeRegistry, t } from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { referenceProblems } from './reference-problems.ts';
import { workspaceResolvers } from './workspace-resources.ts';

/** Who the example loader records as the creator (see examples.ts). */
export const TEMPLATE_CREATOR = 'examples';

/**
 * The prefix of an example template's key. Only the example loader writes it: journeys.create
 * refuses it and no operator may be named TEMPLATE_CREATOR, so nobody can make a journey that
 * lists as a template.
 */
export const EXAMPLE_KEY_PREFIX = 'example:';

/** The template key of the journey loaded from examples/<folder>. */
export const exampleTemplateKey = (folder: string) => `${EXAMPLE_KEY_PREFIX}${folder}`;

/** The examples/ folder a template key names (null for any other key). */
export function exampleFolderOf(templateKey: string | null): string | null {
  return templateKey?.startsWith(EXAMPLE_KEY_PREFIX) ? templateKey.slice(EXAMPLE_KEY_PREFIX.length) : null;
}

export function isTemplate(row: {
  createdBy: string | null;
  templateKey: string | null;
  liveVersionId: string | null;
}) {
  return row.createdBy === TEMPLATE_CREATOR && exampleFolderOf(row.templateKey) !== null && !row.liveVersionId;
}

/** One reference of a template that the workspace cannot resolve, with what may replace it. */
export interface TemplateNeed {
  nodeId: string;
  /** The node's own label ("发5元无门槛券"), else its type's ("发放优惠券"): the step, not its id. */
  node: LocalizedText;
  path: string;
  kind: string;
  /** The kind in words ("优惠券批次"). */
  label: LocalizedText;
  /** Existing resources of the kind (of the credential type, for credentials), newest first. */
  options: Array<{ id: string; name: string }>;
}

const MAX_OPTIONS = 200;

export async function templateNeeds(
  db: AppDatabase,
  registry: NodeRegistry,
  graph: JourneyGraph,
): Promise<TemplateNeed[]> {
  const missing = (await referenceProblems(db, registry, graph)).filter(
    (p): p is GraphProblem & { nodeId: string; path: string } => p.code === 'resourceMissing' && !!p.nodeId && !!p.path,
  );
  if (missing.length === 0) return [];
  const resolvers = new Map(workspaceResolvers(db).map((r) => [r.kind, r]));
  const listed = new Map<string, Array<{ id: string; name: string; of?: string }>>();
  for (const kind of new Set(missing.map((p) => p.params?.kind ?? ''))) {
    listed.set(kind, (await resolvers.get(kind)?.list?.()) ?? []);
  }
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  return missing.map((p) => {
    const kind = p.params?.kind ?? '';
    const of = p.params?.of;
    const node = nodes.get(p.nodeId);
    return {
      nodeId: p.nodeId,
      node: node?.label ? t(node.label, node.label) : (registry.get(node?.type ?? '')?.label ?? t(p.nodeId, p.nodeId)),
      path: p.path,
      kind,
      label: resolvers.get(kind)?.label ?? { 'zh-CN': kind, en: kind },
      options: (listed.get(kind) ?? [])
        .filter((r) => !of || r.of === of)
        .slice(0, MAX_OPTIONS)
        .map((r) => ({ id: r.id, name: r.name })),
    };
  });
}

/** `channelIds[0]` → ['channelIds', 0] (the inverse of @siyu/shared's formatPath). */
function pathSegments(path: string): Array<string | number> {
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : (m[2] as string)));
}

/**
 * The template's graph with each pick put where its need was. A pick must answer a need of this
 * template and name one of its options: anything else is refused, naming the node and field.
 */
export function applyPicks(
  graph: JourneyGraph,
  needs: readonly TemplateNeed[],
  picks: ReadonlyArray<{ nodeId: string; path: string; id: string }>,
): { ok: true; graph: JourneyGraph } | { ok: false; message: string } {
  const copy = structuredClone(graph);
  for (const pick of picks) {
    const need = needs.find((n) => n.nodeId === pick.nodeId && n.path === pick.path);
    if (!need) return { ok: false, message: `节点 ${pick.nodeId} 的 ${pick.path} 不需要选择 nothing to pick there` };
    if (!need.options.some((o) => o.id === pick.id)) {
      return {
        ok: false,
        message: `所选${need.label['zh-CN']}不存在 the chosen ${need.label.en} does not exist (${pick.nodeId} ${pick.path})`,
      };
    }
    const node = copy.nodes.find((n) => n.id === pick.nodeId);
    const segments = pathSegments(pick.path);
    let parent: unknown = node?.config;
    for (const segment of segments.slice(0, -1)) parent = (parent as Record<string | number, unknown>)?.[segment];
    if (!parent || typeof parent !== 'object')
      return { ok: false, message: `${pick.nodeId} ${pick.path}: no such field` };
    (parent as Record<string | number, unknown>)[segments[segments.length - 1] as string | number] = pick.id;
  }
  return { ok: true, graph: copy };
}
