import { customerTemplateVariables, defineExecutor, durationToMs, renderTemplate } from '@siyu/shared';
import { staffTask } from '../staff-task.ts';
import type { CoreServerDeps } from './deps.ts';

/**
 * Creates the task for the customer's owner (or the fallback assignee). The task id is the step's
 * idempotency key, which the node's wait matches against `staffTask.completed` events.
 */
export function staffTaskExecutor(deps: CoreServerDeps) {
  return defineExecutor(staffTask, async ({ config, customer, idempotencyKey, instanceId, nodeId, now }) => {
    const assignee = customer.ownerUserId ?? config.fallbackAssignee;
    const vars = customerTemplateVariables(customer);
    const { created } = await deps.staffTasks.create({
      id: idempotencyKey,
      instanceId,
      nodeId,
      customerId: customer.id,
      assignee,
      title: renderTemplate(config.title, vars),
      body: renderTemplate(config.body, vars),
      dueAt: new Date(now.getTime() + durationToMs(config.expiresAfter)),
    });
    return { port: 'done', data: { taskId: idempotencyKey, assignee, created } };
  });
}
