// Assembles the node packages the runtime runs: the browser-safe definitions (for the compiler,
// validation and the editor's palette) and their server halves (executors and webhooks), each
// server half given its dependencies implemented over the runtime's SQLite in ./<name>-services.ts.
import { corePackage } from '@siyu/nodes-core';
import { createCoreServerPackage } from '@siyu/nodes-core/server';
import { couponsPackage } from '@siyu/nodes-coupons';
import { createCouponsServerPackage } from '@siyu/nodes-coupons/server';
import { smsPackage } from '@siyu/nodes-sms';
import { createSmsServerPackage } from '@siyu/nodes-sms/server';
import { wecomPackage } from '@siyu/nodes-wecom';
import { createWecomServerPackage } from '@siyu/nodes-wecom/server';
import {
  createNodeRegistry,
  type NodeExecutor,
  type NodePackage,
  type NodeRegistry,
  type ServerNodePackage,
} from '@siyu/shared';
import type { Database } from '../db/database.ts';
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
  db: Database;
  clock: Clock;
  logger: Logger;
}

/** Server halves of the built-in packages plus any extra ones. */
export function createServerPackages(
  deps: RuntimeServiceDeps,
  extra: readonly ServerNodePackage[] = [],
): ServerNodePackage[] {
  return [
    createCoreServerPackage(createCoreServices(deps)),
    createSmsServerPackage(createSmsServices(deps)),
    createWecomServerPackage(createWecomServices(deps)),
    createCouponsServerPackage(createCouponsServices(deps)),
    ...extra,
  ];
}

/** Every executor of the given server packages, for createEngine({ executors }). */
export function executorsOf(packages: readonly ServerNodePackage[]): NodeExecutor[] {
  return packages.flatMap((p) => [...p.executors]);
}
