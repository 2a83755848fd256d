// Server half of the core package: executors for the nodes that act (tags, attributes, webhook,
// staff task). Entries, waits, routing, goal and exit need no executor: the runtime runs them.
import type { ServerNodePackage } from '@siyu/shared';
import { updateAttributesExecutor, updateTagsExecutor } from './customer-executors.ts';
import type { CoreServerDeps } from './deps.ts';
import { staffTaskExecutor } from './staff-task-executor.ts';
import { webhookExecutor } from './webhook-executor.ts';

export type { CoreServerDeps, NewStaffTask } from './deps.ts';
export { signWebhook } from './webhook-executor.ts';

export function createCoreServerPackage(deps: CoreServerDeps): ServerNodePackage {
  return {
    name: 'core',
    executors: [
      updateTagsExecutor(deps),
      updateAttributesExecutor(deps),
      webhookExecutor(deps),
      staffTaskExecutor(deps),
    ],
  };
}
