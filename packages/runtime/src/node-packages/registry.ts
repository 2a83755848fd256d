// Assembles the node packages the runtime runs: the browser-safe definitions (for the compiler,
// validation and the editor's palette) and their server halves (executors and webhooks), each
// server half given its dependencies implemented over the runtime's database (SQLite or PostgreSQL,
// through the SQL port) in ./<name>-services.ts.
import { corePackage } from '@siyu/nodes-core';
import { createCoreServerPackage } from '@siyu/nodes-core/server';
import { couponsPackage } from '@siyu/nodes-coupons';
import { createCouponsServerPackage } from '@siyu/nodes-coupons/server';
import { smsPackage } from '@siyu/nodes-sms';
import { createSmsServerPackage } from '@siyu/nodes-sms/server';
import { wecomPackage } from '@siyu/nodes-wecom';
import { createWecomServerPackage } from '@siyu/nodes-wecom/server';
import {
  type CredentialReader,
  createNodeRegistry,
  type NodeExecutor,
  type NodePackage,
  type NodeRegistry,
  type ServerNodePackage,
} from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';
import type { Logger } from '../logger.ts';
import { createCoreServices } from './core-services.ts';
import { createCouponsServices } from './coupons-services.ts';
import { createSmsServices } from './sms-services.ts';
import { createWecomServices } from './wecom-services.ts';

/** The node packages shipped with the product, in palette order. */
export const BUILT_IN_PACKAGES: readonly NodePackage[] = [corePackage, smsPackage, wecomPackage, couponsPackage];

/** Registry of the built-in packages plus any brand-specific ones (custom-node packages). */
export function createNodeRegistryForRuntime(extra: readonly NodePackage[] = []): NodeRegistry {
  return createNodeRegistry([...BUILT_IN_PACKAGES, ...extra]);
}

/** What the runtime hands the node packages' server halves (each declares the part it needs). */
export interface RuntimeServiceDeps {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  /**
   * Simulation (the editor's test runs): every provider is the sandbox whatever the environment
   * configures, and outgoing webhooks are answered locally, so a test customer never reaches a
   * real phone, WeCom contact, WeChat Pay stock or a brand's system.
   */
  sandbox?: boolean;
  /**
   * Stored credentials the packages read; default: the store over `db`. A simulation passes the
   * real database's (its scratch database has none).
   */
  credentials?: CredentialReader;
}

/** The answer a simulated webhook call gets: nothing leaves the machine. */
const simulatedWebhook: typeof fetch = async () =>
  new Response(JSON.stringify({ simulated: true }), { status: 200, headers: { 'content-type': 'application/json' } });

/** Server halves of the built-in packages plus any extra ones. */
export function createServerPackages(
  deps: RuntimeServiceDeps,
  extra: readonly ServerNodePackage[] = [],
): ServerNodePackage[] {
  // An empty environment is what selects each package's sandbox provider.
  const noEnv = deps.sandbox ? { env: {} } : {};
  const noWebhooks = deps.sandbox ? { fetch: simulatedWebhook } : {};
  return [
    // Core keeps the environment: a webhook whose secret is missing fails in a simulation as it would live.
    createCoreServerPackage(createCoreServices({ ...deps, ...noWebhooks })),
    createSmsServerPackage(createSmsServices({ ...deps, ...noEnv })),
    createWecomServerPackage(createWecomServices({ ...deps, ...(deps.sandbox ? { wecom: null } : {}) })),
    createCouponsServerPackage(createCouponsServices({ ...deps, ...noEnv })),
    ...extra,
  ];
}

/** Every executor of the given server packages, for createEngine({ executors }). */
export function executorsOf(packages: readonly ServerNodePackage[]): NodeExecutor[] {
  return packages.flatMap((p) => [...p.executors]);
}
