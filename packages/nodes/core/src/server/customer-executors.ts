// The outbox path of the customer-update nodes, for a runtime whose store cannot apply their
// `customerUpdate` inside the step: the same computation, applied through the host's services.
import { defineExecutor } from '@siyu/shared';
import {
  applyAttributeChanges,
  changedAttributes,
  tagUpdate,
  updateAttributes,
  updateTags,
} from '../customer-updates.ts';
import type { CoreServerDeps } from './deps.ts';

export function updateTagsExecutor(deps: CoreServerDeps) {
  return defineExecutor(updateTags, async ({ config, customer, journey }) => {
    const { update, port, data } = tagUpdate(config, customer);
    await deps.customers.updateTags({
      customerId: customer.id,
      add: [...(update.addTags ?? [])],
      remove: [...(update.removeTags ?? [])],
      source: `journey:${journey.id}`,
    });
    return { port, data };
  });
}

export function updateAttributesExecutor(deps: CoreServerDeps) {
  return defineExecutor(updateAttributes, async ({ config, customer, idempotencyKey }) => {
    // Applied to the attributes as stored when the change is made (not the view the step read),
    // under the host's lock and receipt: a retried increment does not count twice.
    const after = await deps.customers.updateAttributesOnce({
      customerId: customer.id,
      idempotencyKey,
      change: (current) => applyAttributeChanges(current, config.changes),
    });
    return { port: 'next', data: { attributes: changedAttributes(config.changes, after) } };
  });
}
