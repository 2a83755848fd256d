import type { WecomAppConfig } from '@siyu/nodes-wecom/server';
import type { CredentialReader, NodeRegistry, ServerNodePackage } from '@siyu/shared';
import { createCredentialStore } from '../credentials/store.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';
import { createEngine, type DurableEngine } from '../engine/engine.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics/registry.ts';
import { createCouponsServices } from '../node-packages/coupons-services.ts';
import {
  type ProviderRateLimit,
  type RateLimitStore,
  rateLimitExecutors,
} from '../node-packages/provider-rate-limits.ts';
import { createWecomAdmin } from '../node-packages/wecom-admin.ts';
import { wecomConfigFromEnv } from '../node-packages/wecom-services.ts';
import type { ServerDeps } from '../trpc/context.ts';
import { instrumentExecutors } from './instrument-executors.ts';

/** The node packages as the runtime uses them: definitions to validate/compile, server halves to run. */
export interface NodeAssembly {
  registry: NodeRegistry;
  serverPackages: readonly ServerNodePackage[];
}

/**
 * Builds the node assembly over a database (node services such as the SMS sandbox write to it);
 * `sandbox` forces every provider to its sandbox (simulations).
 */
export type NodesFor = (
  db: AppDatabase,
  clock: Clock,
  options?: { sandbox?: boolean; credentials?: CredentialReader },
) => NodeAssembly;

export interface AssembledServer {
  deps: ServerDeps;
  engine: DurableEngine;
  serverPackages: readonly ServerNodePackage[];
}

/**
 * Wires the engine and the API's dependencies from one node assembly, and gives test runs the
 * same wiring over a scratch database and a simulated clock.
 */
export function assembleServer(options: {
  db: AppDatabase;
  nodesFor: NodesFor;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  /** The WeCom app for live codes and handover; default from WECOM_* variables (none: sandbox). */
  wecom?: WecomAppConfig | null;
  /** Where the live engine's provider calls are counted and timed (simulations are not). */
  metrics?: Metrics;
  /** PostgreSQL: how long a worker's claim on an effect holds (EFFECT_LEASE_MS). */
  effectLeaseMs?: number;
  /** Calls per provider the live engine may make (simulations never reach a provider). */
  providerRateLimits?: { limits: readonly ProviderRateLimit[]; store: RateLimitStore };
  /** Group commit's window for single events (engine.ts `ingestWindowMs`; default 2 ms). */
  ingestWindowMs?: number;
  /** Days finished outbox rows are kept (OUTBOX_RETENTION_DAYS; engine default 30). */
  outboxRetentionDays?: number;
}): AssembledServer {
  const { db, nodesFor, clock, logger } = options;
  const engineOver = (target: AppDatabase, engineClock: Clock, nodes: NodeAssembly, metrics?: Metrics) =>
    createEngine({
      db: target,
      registry: nodes.registry,
      executors: metrics
        ? instrumentExecutors(
            nodes.serverPackages.flatMap((p) => p.executors),
            metrics,
          )
        : nodes.serverPackages.flatMap((p) => p.executors),
      jobs: nodes.serverPackages.flatMap((p) => p.jobs ?? []),
      clock: engineClock,
      logger,
      effectLeaseMs: options.effectLeaseMs,
      ingestWindowMs: options.ingestWindowMs,
      outboxRetentionDays: options.outboxRetentionDays,
    });
  const nodes = nodesFor(db, clock);
  const limits = options.providerRateLimits;
  const liveNodes: NodeAssembly = limits
    ? {
        ...nodes,
        serverPackages: nodes.serverPackages.map((p) => ({
          ...p,
          executors: rateLimitExecutors(p.executors, limits.limits, limits.store),
        })),
      }
    : nodes;
  const engine = engineOver(db, clock, liveNodes, options.metrics);
  const deps: ServerDeps = {
    db,
    engine,
    registry: nodes.registry,
    clock,
    publicUrl: options.publicUrl.replace(/\/+$/, ''),
    // A simulation never reaches a real provider, whatever the environment configures.
    // Credentials come from the real database: a scratch database has none.
    createSimulation: (simDb, simClock) =>
      engineOver(simDb, simClock, nodesFor(simDb, simClock, { sandbox: true, credentials: deps.credentials?.reader })),
  };
  deps.credentials = createCredentialStore(db);
  deps.coupons = createCouponsServices({ db, clock, logger });
  deps.wecomAdmin = createWecomAdmin({
    db,
    clock,
    publicUrl: () => deps.publicUrl,
    wecom: options.wecom === undefined ? (wecomConfigFromEnv(process.env) ?? null) : options.wecom,
  });
  return { deps, engine, serverPackages: nodes.serverPackages };
}
