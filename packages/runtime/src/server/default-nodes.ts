import { createNodeRegistry } from '@siyu/shared';
import type { NodesFor } from './assemble.ts';

/**
 * The node assembly `pnpm start` and the CLI use. The real one is assembled in
 * src/nodes/registry.ts (core, sms, wecom, coupons over SQLite services); until that module exists
 * the product starts with no node types, so journeys can be browsed but not validated/published.
 */
export const defaultNodes: NodesFor = () => ({ registry: createNodeRegistry([]), serverPackages: [] });
