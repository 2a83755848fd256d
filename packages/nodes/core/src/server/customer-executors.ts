import { defineExecutor } from '@siyu/shared';
import { applyAttributeChanges, channelTags, updateAttributes, updateTags } from '../customer-updates.ts';
import type { CoreServerDeps } from './deps.ts';

export function updateTagsExecutor(deps: CoreServerDeps) {
  return defineExecutor(updateTags, async ({ config, customer, journey }) => {
    const add = [...config.add, ...(config.tagChannel ? channelTags(customer.channel) : [])];
    await deps.customers.updateTags({
      customerId: customer.id,
      add,
      remove: config.remove,
      source: `journey:${journey.id}`,
    });
    return { port: 'next', data: { added: add, removed: config.remove } };
  });
}

export function updateAttributesExecutor(deps: CoreServerDeps) {
  return defineExecutor(updateAttributes, async ({ config, customer, idempotencyKey }) => {
    const after = await deps.customers.updateAttributesOnce({
      customerId: customer.id,
      idempotencyKey,
      change: (current) => applyAttributeChanges(current, config.changes),
    });
    const changed = Object.fromEntries(config.changes.map((c) => [c.name, after[c.name] ?? null]));
    return { port: 'next', data: { attributes: changed } };
  });
}
