// Browser-safe definitions of the core nodes: entries, waits, routing, customer updates, goal,
// exit, webhook and staff task. Executors live in ./server.
import { defineNodePackage, t } from '@siyu/shared';
import { updateAttributes, updateTags } from './customer-updates.ts';
import { exit, goal } from './endings.ts';
import { apiEntry, audienceEntry, channelEntry, eventEntry } from './entries.ts';
import { abSplit, branch, randomSplit } from './routing.ts';
import { staffTask } from './staff-task.ts';
import { wait, waitForEvent, waitUntil } from './waits.ts';
import { webhook, webhookSigningCredential } from './webhook.ts';

export {
  type AttributeChange,
  applyAttributeChanges,
  attributeUpdate,
  channelTags,
  tagUpdate,
  updateAttributes,
  updateTags,
} from './customer-updates.ts';
export { exit, goal } from './endings.ts';
export { apiEntry, audienceEntry, CHANNEL_ENTERED, channelEntry, eventEntry } from './entries.ts';
export { abSplit, branch, randomSplit } from './routing.ts';
export { STAFF_TASK_COMPLETED, STAFF_TASK_SKIPPED, staffTask } from './staff-task.ts';
export { dateAttributeInstant, type WaitUntilConfig, wait, waitForEvent, waitUntil } from './waits.ts';
export {
  WEBHOOK_HEADERS,
  type WebhookConfig,
  webhook,
  webhookSecretVariable,
  webhookSigningCredential,
} from './webhook.ts';

export const corePackage = defineNodePackage({
  name: 'core',
  label: t('基础', 'Core'),
  nodes: [
    channelEntry,
    eventEntry,
    audienceEntry,
    apiEntry,
    wait,
    waitUntil,
    waitForEvent,
    branch,
    abSplit,
    randomSplit,
    updateTags,
    updateAttributes,
    goal,
    exit,
    webhook,
    staffTask,
  ],
  credentialTypes: [webhookSigningCredential],
});
