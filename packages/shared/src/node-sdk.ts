import type { z } from 'zod';
import type { Filter } from './condition.ts';
import type { CredentialType } from './credentials.ts';
import type { CustomerView } from './customer.ts';
import type { EntrySchedule } from './entry-schedule.ts';
import type { JourneyEvent } from './events.ts';
import type { LocalizedText } from './i18n.ts';

/** Palette groups, in the order the editor shows them. */
export const NODE_CATEGORIES = ['entry', 'flow', 'message', 'customer', 'offer', 'integration', 'goal'] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

/** One output port of a node: where a customer goes next ("sent", "failed", a variant, a case). */
export interface PortSpec {
  id: string;
  label: LocalizedText;
  /** A required port must be connected before the journey can be published. Default true. */
  required?: boolean;
}

/** How customers get into a journey through an entry node. */
export type EntryTrigger =
  /** Enrol when an event of this type matching the filter arrives (channel scans, orders, …). */
  | { kind: 'event'; event: string; filter?: Filter }
  /**
   * Enrol everyone matching a segment: once at publish, or on a repeating schedule. With a saved
   * segment id the runtime reads the segment's filter when the entry runs (ANDed with `filter`).
   * With `calendar` it runs at the schedule's run times instead (each run time once).
   */
  | { kind: 'audience'; filter: Filter; segmentId?: string; everyMs?: number; calendar?: EntrySchedule }
  /** Enrol only when the brand's systems call the API (or an operator enrols by hand). */
  | { kind: 'api' };

/** What a node may look at when it decides, waits or computes a timer. Pure data: no I/O. */
export interface NodeContext {
  customer: CustomerView;
  now: Date;
  /**
   * Deterministic uniform [0,1) from hash(customer, node): a replay, a restart or a simulation
   * picks the same branch for the same customer.
   */
  random: number;
  /** The event that is being handled (the entry event on entry), if any. */
  event?: JourneyEvent;
  /** Key unique to this visit of this node by this instance (instance:node:visit). */
  visitKey: string;
  /** Result of this node's own effect, when the node waits after acting (e.g. a staff task). */
  effectResult?: { port: string; data?: Record<string, unknown> };
}

/** What a waiting node waits for: events (each to a port) and/or a timeout at a given instant. */
export interface AwaitSpec {
  events?: Array<{ type: string; filter?: Filter; port: string }>;
  timeout?: { at: Date; port: string };
}

/** How a node with a server-side executor takes part in delivery rules. */
export interface EffectSpec {
  /** Channel counted by frequency caps and held by quiet hours ("sms", "wecom"). Omit for none. */
  channel?: string;
  /** Whether quiet hours apply (messages to people: yes; tagging: no). Default: true if `channel`. */
  quietHours?: boolean;
  /** Port to follow when the effect fails permanently. Without one the customer exits. */
  failurePort?: string;
  /** Port to follow when quiet hours (skip) or a frequency cap drop the message, if connected. Default: first port. */
  skippedPort?: string;
}

/**
 * A change to the customer's own record that a node's effect makes: tags added and removed (set
 * semantics) and attributes set or removed by name (a set value replaces the attribute whole).
 * Changes by name, not a whole new record, so two writers changing different attributes both keep
 * theirs. Removals apply before additions.
 */
export interface CustomerUpdate {
  addTags?: readonly string[];
  removeTags?: readonly string[];
  setAttributes?: Readonly<Record<string, unknown>>;
  unsetAttributes?: readonly string[];
}

/** A customer's tags and attributes after `update`: the one reading of it everyone applies. */
export function applyCustomerUpdate(
  customer: { tags: readonly string[]; attributes: Readonly<Record<string, unknown>> },
  update: CustomerUpdate,
): { tags: string[]; attributes: Record<string, unknown> } {
  const removed = new Set(update.removeTags);
  const tags = customer.tags.filter((tag) => !removed.has(tag));
  for (const tag of update.addTags ?? []) if (!tags.includes(tag)) tags.push(tag);
  return { tags, attributes: applyAttributeUpdate(customer.attributes, update) };
}

/** The attributes part of `applyCustomerUpdate`, for a writer that holds only the attributes. */
export function applyAttributeUpdate(
  attributes: Readonly<Record<string, unknown>>,
  update: CustomerUpdate,
): Record<string, unknown> {
  const next = { ...attributes };
  for (const name of update.unsetAttributes ?? []) delete next[name];
  Object.assign(next, update.setAttributes);
  return next;
}

/** What a node's `customerUpdate` computes: the change, the port to follow and the step-log data. */
export interface CustomerUpdateResult {
  update: CustomerUpdate;
  port: string;
  data?: Record<string, unknown>;
}

/** A named step that upgrades a node's config from `from` to `from + 1`. */
export interface ConfigMigration {
  from: number;
  name: string;
  up: (config: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * A node type: schema first, everything else derived from its config. Browser-safe (no I/O), so
 * the editor builds its palette and forms from the same object the runtime compiles.
 *
 * Behaviour is composed from optional parts, applied in this order when a customer arrives:
 * `decide` (choose a port now) → `effect` (run the server executor through the outbox, or apply
 * `customerUpdate` in the step) →
 * `await` (wait for events and/or a timer) → follow the chosen port. A node with none of them
 * passes straight through its first port; a node with no outputs ends the customer's run.
 *
 * @example
 * const wait = defineNode({
 *   type: 'core.wait', version: 1, category: 'flow', icon: 'clock',
 *   label: t('等待', 'Wait'),
 *   config: z.object({ duration: DurationSchema }),
 *   defaultConfig: { duration: { amount: 1, unit: 'days' } },
 *   outputs: [{ id: 'next', label: t('继续', 'Next') }],
 *   await: (config, ctx) => ({ timeout: { at: new Date(ctx.now.getTime() + durationToMs(config.duration)), port: 'next' } }),
 * });
 */
export interface NodeDefinition<TType extends string = string, TSchema extends z.ZodType = z.ZodType> {
  type: TType;
  /**
   * Bump when the config schema changes and add a migration from the previous version: the runtime
   * upgrades configs saved at older versions when a published version loads and when a draft is
   * published (customers in flight keep going). Prove it with `migrateConfigFrom` /
   * `graphAtTypeVersions` (migration-testing.ts).
   */
  version: number;
  category: NodeCategory;
  label: LocalizedText;
  description?: LocalizedText;
  /** Icon name the editor maps to a glyph; an emoji is also accepted. */
  icon: string;
  config: TSchema;
  defaultConfig: z.input<TSchema>;
  /** Output ports, static or derived from config (split variants, branch cases). */
  outputs: readonly PortSpec[] | ((config: z.output<TSchema>) => PortSpec[]);
  /** Entry nodes say how customers are enrolled. */
  entry?: { trigger: (config: z.output<TSchema>) => EntryTrigger; maxPerJourney?: number };
  decide?: (config: z.output<TSchema>, ctx: NodeContext) => string;
  effect?: EffectSpec;
  /**
   * For an effect that only changes the customer's own tags and attributes: the change, computed
   * from the config and the customer as the step sees it. Pure (no I/O). The runtime applies it
   * inside the step's own transaction — exactly once with the step, and a later branch in the
   * same step sees it — instead of a round trip through the outbox; where its store cannot (or a
   * step chains too many), the node's executor runs as for any effect, so the two must agree
   * (share the function). Not for effects with a `channel` or quiet hours. A throw, or a port the
   * node does not have, fails the customer's run with the node named, as a throw in `decide` does.
   */
  customerUpdate?: (config: z.output<TSchema>, customer: CustomerView) => CustomerUpdateResult;
  await?: (config: z.output<TSchema>, ctx: NodeContext) => AwaitSpec;
  /**
   * Works only right after one of `events` (a WeCom welcome code expires 20 s after the contact is
   * added): publishing is refused when a path reaches the node through a waiting node that did not
   * end by one of these events, or from an entry whose trigger is something else (an API call, a
   * segment, another event). `arrival` names the events for the problem ("添加员工" / "adding a staff
   * member"); `why` says what goes wrong.
   */
  freshAfter?: { events: readonly string[]; arrival: LocalizedText; why: LocalizedText };
  /** Reaching this node counts as reaching the journey's goal. */
  reachesGoal?: boolean;
  /** How the run ends when a node has no outputs. Default "completed". */
  ends?: 'completed' | 'exited';
  /** The exit reason recorded when a run ends here (reports group by it). Default "node:<id>". */
  endReason?: (config: z.output<TSchema>) => string;
  /** Events this node waits for, for the editor and docs (derived from config). */
  waitsFor?: (config: z.output<TSchema>) => string[];
  migrations?: readonly ConfigMigration[];
}

// biome-ignore lint/suspicious/noExplicitAny: a registry holds definitions of every config type.
export type AnyNodeDefinition = NodeDefinition<string, any>;

export type ConfigOf<D> = D extends NodeDefinition<string, infer S> ? z.output<S> : never;

/** Declares a node type. Identity at run time; it exists so TypeScript infers the config type. */
export function defineNode<const TType extends string, TSchema extends z.ZodType>(
  definition: NodeDefinition<TType, TSchema>,
): NodeDefinition<TType, TSchema> {
  return definition;
}

/** Output ports of a node for its (parsed) config. */
export function outputsOf<D extends AnyNodeDefinition>(definition: D, config: ConfigOf<D>): PortSpec[] {
  return typeof definition.outputs === 'function' ? definition.outputs(config) : [...definition.outputs];
}

/** A family of node types shipped together (core, sms, wecom, coupons, or a brand's own). */
export interface NodePackage {
  name: string;
  label: LocalizedText;
  nodes: readonly AnyNodeDefinition[];
  /** Accounts with third parties its nodes use (see credentials.ts); nodes pick one by id. */
  credentialTypes?: readonly CredentialType[];
}

export function defineNodePackage(pkg: NodePackage): NodePackage {
  return pkg;
}

// ---------------------------------------------------------------------------------------------
// Server-side executor contract. Types only here (no Node APIs); implementations live in each
// package's "./server" entry, which may use Node.

export interface ExecutorContext<TConfig> {
  config: TConfig;
  customer: CustomerView;
  /**
   * Stable across retries of the same step: (instance, node, visit). Pass it to providers that
   * accept one (out_request_no, OutId) and use it to de-duplicate your own writes.
   */
  idempotencyKey: string;
  /** 1 on the first try. */
  attempt: number;
  journey: { id: string; versionId: string };
  instanceId: string;
  nodeId: string;
  now: Date;
  signal: AbortSignal;
  /**
   * An operator chose "resend" for this step after its earlier outcome was unknown
   * (OutcomeUnknownError): send again with the same idempotency key without asking the provider.
   * Given once per operator decision.
   */
  operatorResend?: boolean;
}

export interface ExecutorResult {
  /** The output port to follow; must be one of the node's outputs for its config. */
  port: string;
  /** Recorded in the step log and visible to the node's `await` as `effectResult.data`. */
  data?: Record<string, unknown>;
}

/** The step may succeed if tried again later (timeouts, rate limits, 5xx). */
export class RetryableError extends Error {
  readonly retryAfterMs?: number;
  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'RetryableError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Trying again cannot help (bad number, opted out, budget spent): follow the failure port. */
export class PermanentError extends Error {
  readonly code: string;
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PermanentError';
    this.code = options.code ?? 'permanent';
  }
}

/**
 * An earlier attempt of this step may or may not have reached the provider (the process died
 * between the call and recording its answer) and the provider cannot tell us now. Neither a
 * success nor a failure: the runtime parks the step as "outcome unknown" (the customer waits at
 * the node) until an operator resends, marks it sent or skips it, so nothing is sent twice
 * without an operator's word. With `recheckAfterMs` the runtime instead asks again later (the
 * provider may know by then, e.g. its records lag the send); rechecks do not count as attempts.
 */
export class OutcomeUnknownError extends Error {
  readonly code: string;
  readonly recheckAfterMs?: number;
  constructor(message: string, options: { code?: string; recheckAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'OutcomeUnknownError';
    this.code = options.code ?? 'outcomeUnknown';
    this.recheckAfterMs = options.recheckAfterMs;
  }
}

export interface NodeExecutor<D extends AnyNodeDefinition = AnyNodeDefinition> {
  definition: D;
  run: (ctx: ExecutorContext<ConfigOf<D>>) => Promise<ExecutorResult>;
}

/**
 * Binds the server-side code to a node definition; `ctx.config` is typed from the definition's
 * schema, so no casts are needed.
 *
 * @example
 * export const sendSmsExecutor = defineExecutor(sendSms, async ({ config, idempotencyKey }) => {
 *   await provider.send(config.templateCode, idempotencyKey);
 *   return { port: 'sent' };
 * });
 */
export function defineExecutor<D extends AnyNodeDefinition>(
  definition: D,
  run: (ctx: ExecutorContext<ConfigOf<D>>) => Promise<ExecutorResult>,
): NodeExecutor<D> {
  return { definition, run };
}
