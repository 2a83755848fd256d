// Assembles the node packages the runtime runs: the browser-safe definitions (for the compiler,
// validation and the editor's palette) and their server halves (executors and webhooks).
//
// Status: @siyu/nodes-core, -sms, -wecom and -coupons are being written in parallel and have no
// src/index.ts yet, so they are not imported here. When each lands, add its NodePackage to
// BUILT_IN_PACKAGES and its create<Name>ServerPackage(deps) call to createServerPackages, with the
// deps implemented over SQLite in ./<name>-services.ts.
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

/** The node packages shipped with the product, in palette order. */
export const BUILT_IN_PACKAGES: readonly NodePackage[] = [];

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
  _deps: RuntimeServiceDeps,
  extra: readonly ServerNodePackage[] = [],
): ServerNodePackage[] {
  return [...extra];
}

/** Every executor of the given server packages, for createEngine({ executors }). */
export function executorsOf(packages: readonly ServerNodePackage[]): NodeExecutor[] {
  return packages.flatMap((p) => [...p.executors]);
}
