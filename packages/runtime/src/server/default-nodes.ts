import type { Logger } from '../logger.ts';
import { createNodeRegistryForRuntime, createServerPackages } from '../nodes/registry.ts';
import type { NodesFor } from './assemble.ts';

/**
 * The node assembly `pnpm start` and the CLI use: the built-in packages from src/nodes/registry.ts
 * (core, sms, wecom, coupons as they land), their server halves over the given database.
 */
export function runtimeNodes(logger: Logger): NodesFor {
  return (db, clock) => ({
    registry: createNodeRegistryForRuntime(),
    serverPackages: createServerPackages({ db, clock, logger }),
  });
}
