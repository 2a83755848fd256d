// References from a node's config to things that live in the workspace (a channel, a coupon stock,
// a saved segment, a stored credential…). A config can be schema-valid and still name something
// that does not exist — a template's channel, a deleted stock — and then the first customer to
// reach the node fails in the server log. So node definitions mark such fields with
// `resourceRef(kind, schema)`, the server resolves every reference of a graph against the
// workspace at validate and publish time (one resolver per kind), and a missing one becomes a
// problem on its node. Browser-safe: no Node APIs here.
import type { z } from 'zod';
import { formatPath, type JourneyGraph } from './graph.ts';
import type { LocalizedText } from './i18n.ts';
import type { NodeRegistry } from './registry.ts';
import type { GraphProblem } from './validate.ts';
import { PROBLEM_MESSAGES } from './validation-messages.ts';

/** Meta keys a referencing field carries (read through optional/default wrappers). */
export const RESOURCE_KIND_META = 'resourceKind';
export const RESOURCE_OF_META = 'resourceOf';

/** Kinds of `<package>.<name>`, e.g. `coupons.stock`; `credential` for stored credentials. */
export const RESOURCE_KIND_PATTERN = /^[a-z][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)?$/;

/**
 * Marks a config field (a string id, or an array of ids) as naming a workspace resource of `kind`.
 * The field keeps its schema and widget; validation and publishing then check every id it holds
 * exists. `of` narrows the kind (a credential's type): a resource of another sort is reported.
 *
 * @example
 * stockId: resourceRef('coupons.stock', z.string().min(1).meta({ widget: 'couponStock' })),
 * chatIds: resourceRef('wecom.groupChat', z.array(z.string()).min(1).meta({ widget: 'wecomGroups' })),
 */
export function resourceRef<S extends z.ZodType>(kind: string, schema: S, options: { of?: string } = {}): S {
  if (!RESOURCE_KIND_PATTERN.test(kind)) {
    throw new Error(`resource kind "${kind}" must look like "<package>.<name>" (letters, digits, _ -)`);
  }
  return schema.meta({ [RESOURCE_KIND_META]: kind, ...(options.of ? { [RESOURCE_OF_META]: options.of } : {}) }) as S;
}

/** One id a node's config names. */
export interface ResourceRef {
  /** Config path of the id, e.g. `stockId` or `channelIds[1]`. */
  path: string;
  kind: string;
  id: string;
  /** The sort the field expects (a credential type), if it narrows the kind. */
  of?: string;
}

type Wrapped = { def?: { innerType?: z.ZodType; in?: z.ZodType; shape?: unknown; type?: string } };

/** The schema inside an optional/default/nullable/pipe wrapper, if any (credentials.ts reads meta with it too). */
export function innerSchemaOf(schema: z.ZodType): z.ZodType | undefined {
  const def = (schema as unknown as Wrapped).def;
  return def?.innerType ?? def?.in;
}

/** A field's meta, read through optional/default/nullable/pipe wrappers (where packages put it). */
function refMetaOf(schema: z.ZodType): { kind: string; of?: string } | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 6; depth++) {
    const meta = current.meta() as Record<string, unknown> | undefined;
    const kind = meta?.[RESOURCE_KIND_META];
    if (typeof kind === 'string') {
      const of = meta?.[RESOURCE_OF_META];
      return { kind, ...(typeof of === 'string' ? { of } : {}) };
    }
    current = innerSchemaOf(current);
  }
  return undefined;
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 6; depth++) {
    const def = (current as unknown as Wrapped).def;
    if (def?.type === 'object' && def.shape && typeof def.shape === 'object') {
      return def.shape as Record<string, z.ZodType>;
    }
    current = innerSchemaOf(current);
  }
  return undefined;
}

/**
 * Every workspace id a node config names: walks the config schema's objects for `resourceRef`
 * fields and reads their string or string-array values. Empty values are left to the schema
 * ("choose a stock"); this only reports ids that are there.
 */
export function resourceRefsOf(configSchema: z.ZodType, config: unknown): ResourceRef[] {
  const refs: ResourceRef[] = [];
  const walk = (schema: z.ZodType, value: unknown, path: PropertyKey[], depth: number) => {
    const shape = shapeOf(schema);
    if (!shape || depth > 4 || !value || typeof value !== 'object' || Array.isArray(value)) return;
    for (const [key, field] of Object.entries(shape)) {
      const fieldValue = (value as Record<string, unknown>)[key];
      const meta = refMetaOf(field);
      if (!meta) {
        walk(field, fieldValue, [...path, key], depth + 1);
        continue;
      }
      const add = (id: unknown, at: PropertyKey[]) => {
        if (typeof id === 'string' && id.trim() !== '') refs.push({ path: formatPath(at), ...meta, id: id.trim() });
      };
      if (Array.isArray(fieldValue)) {
        for (const [i, id] of fieldValue.entries()) add(id, [...path, key, i]);
      } else add(fieldValue, [...path, key]);
    }
  };
  walk(configSchema, config, [], 0);
  return refs;
}

/** What a resolver knows of an existing resource: its name, and its sort if the kind has sorts. */
export interface ResolvedResource {
  name: string;
  of?: string;
}

/**
 * Answers which of the given ids of one kind exist in the workspace. The runtime provides one per
 * kind it stores (channels, coupon stocks, segments, credentials); a kind with no resolver is not
 * checked (nothing to check it against).
 */
export interface ResourceResolver {
  kind: string;
  /** The kind in words, for the problem a marketer reads: 优惠券批次 / coupon stock. */
  label: LocalizedText;
  resolve(ids: readonly string[]): Promise<ReadonlyMap<string, ResolvedResource>>;
  /** Every resource of the kind an operator may pick (for a template's walk-through), if listable. */
  list?(): Promise<Array<ResolvedResource & { id: string }>>;
}

/**
 * The references of a graph that do not resolve: one problem per missing id (or id of the wrong
 * sort), on its node and config path. One query per kind, whatever the graph's size.
 */
export async function resourceProblems(
  graph: JourneyGraph,
  registry: NodeRegistry,
  resolvers: readonly ResourceResolver[],
): Promise<GraphProblem[]> {
  const byKind = new Map(resolvers.map((r) => [r.kind, r]));
  const found: Array<{ nodeId: string; ref: ResourceRef; resolver: ResourceResolver }> = [];
  for (const node of graph.nodes) {
    const definition = registry.get(node.type);
    if (!definition) continue; // unknownNodeType already says it
    for (const ref of resourceRefsOf(definition.config, node.config)) {
      const resolver = byKind.get(ref.kind);
      if (resolver) found.push({ nodeId: node.id, ref, resolver });
    }
  }
  const answers = new Map<string, ReadonlyMap<string, ResolvedResource>>();
  for (const resolver of new Set(found.map((f) => f.resolver))) {
    const ids = [...new Set(found.filter((f) => f.resolver === resolver).map((f) => f.ref.id))];
    answers.set(resolver.kind, await resolver.resolve(ids));
  }
  const problems: GraphProblem[] = [];
  for (const { nodeId, ref, resolver } of found) {
    const resource = answers.get(ref.kind)?.get(ref.id);
    if (!resource) {
      problems.push({
        code: 'resourceMissing',
        nodeId,
        path: ref.path,
        params: { kind: ref.kind, ...(ref.of ? { of: ref.of } : {}) },
        message: PROBLEM_MESSAGES.resourceMissing({ kind: resolver.label }),
      });
    } else if (ref.of && resource.of !== ref.of) {
      problems.push({
        code: 'resourceWrongType',
        nodeId,
        path: ref.path,
        params: { kind: ref.kind, expected: ref.of, actual: resource.of ?? '' },
        message: PROBLEM_MESSAGES.resourceWrongType({
          kind: resolver.label,
          name: resource.name,
          expected: ref.of,
          actual: resource.of ?? '',
        }),
      });
    }
  }
  return problems;
}

/** Problem codes only the server can find (they need the workspace); the editor merges them in. */
export const WORKSPACE_PROBLEM_CODES: ReadonlySet<string> = new Set([
  'resourceMissing',
  'resourceWrongType',
  'smsVariableUnmapped',
]);
