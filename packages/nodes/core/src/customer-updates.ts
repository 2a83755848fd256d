// Nodes that change what we know about the customer. The runtime applies their `customerUpdate`
// in the step's own transaction (once per visit, with the step); where it cannot, their executors
// (server/customer-executors.ts) make the same change through the outbox.
import {
  type CustomerUpdateResult,
  type CustomerView,
  DEFAULT_VARIANT,
  defineNode,
  prefixedTag,
  TagNameSchema,
  t,
} from '@siyu/shared';
import { z } from 'zod';
import { NEXT_PORT } from './ports.ts';

const UpdateTagsConfigSchema = z
  .object({
    add: z
      .array(TagNameSchema)
      .max(50)
      .default([])
      .meta({ widget: 'tags', label: t('添加标签', 'Add tags') }),
    remove: z
      .array(TagNameSchema)
      .max(50)
      .default([])
      .meta({ widget: 'tags', label: t('移除标签', 'Remove tags') }),
    /**
     * Also adds "<prefix><channel code>" and "<prefix><variant>" from the customer's channel:
     * tag by source without one node per channel.
     */
    tagChannel: z
      .boolean()
      .default(false)
      .meta({ label: t('按来源渠道和版本打标签', 'Tag with source channel and variant') }),
  })
  .superRefine((c, ctx) => {
    if (c.add.length === 0 && c.remove.length === 0 && !c.tagChannel) {
      ctx.addIssue({
        code: 'custom',
        path: ['add'],
        message: '请至少添加或移除一个标签 / add or remove at least one tag',
      });
    }
    const both = c.add.filter((tag) => c.remove.includes(tag));
    if (both.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['remove'],
        message: `同时添加又移除：${both.join('、')} / both added and removed: ${both.join(', ')}`,
      });
    }
  });

export const updateTags = defineNode({
  type: 'core.updateTags',
  version: 1,
  category: 'customer',
  icon: 'tag',
  label: t('更新标签', 'Update tags'),
  description: t('给客户添加或移除标签（来源、分层、意向）', 'Adds or removes customer tags (source, layer, intent)'),
  config: UpdateTagsConfigSchema,
  defaultConfig: { add: ['新客'], remove: [], tagChannel: false },
  outputs: NEXT_PORT,
  effect: {},
  customerUpdate: (config, customer) => tagUpdate(config, customer),
});

/** The tags a visit adds and removes (the step and the executor both apply this). */
export function tagUpdate(
  config: z.output<typeof UpdateTagsConfigSchema>,
  customer: CustomerView,
): CustomerUpdateResult {
  const add = [...config.add, ...(config.tagChannel ? channelTags(customer.channel) : [])];
  return {
    update: { addTags: add, removeTags: config.remove },
    port: 'next',
    data: { added: add, removed: config.remove },
  };
}

/** Where the tags for a customer's source come from when `tagChannel` is on. */
export function channelTags(channel: { code: string; variant?: string } | undefined): string[] {
  if (!channel) return [];
  const tags = [prefixedTag('渠道:', channel.code)];
  if (channel.variant && channel.variant !== DEFAULT_VARIANT) tags.push(prefixedTag('版本:', channel.variant));
  return tags;
}

const AttributeNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,49}$/, { message: '属性名只能包含字母、数字和下划线 / letters, digits and _ only' })
  // Assigning it would set the attributes object's prototype instead of an attribute.
  .refine((name) => name !== '__proto__', { message: '属性名不能是 __proto__ / "__proto__" is not allowed' });

const UpdateAttributesConfigSchema = z.object({
  changes: z
    .array(
      z.discriminatedUnion('op', [
        z.object({
          op: z.literal('set'),
          name: AttributeNameSchema,
          value: z.union([z.string().max(500), z.number(), z.boolean()]),
        }),
        z.object({ op: z.literal('unset'), name: AttributeNameSchema }),
        z.object({ op: z.literal('increment'), name: AttributeNameSchema, by: z.number().finite() }),
      ]),
    )
    .min(1, { message: '至少一项修改 / at least one change' })
    .max(30)
    // The editor's rows (operation, attribute, value) instead of each change's JSON.
    .meta({ widget: 'attributeChanges' }),
});

export const updateAttributes = defineNode({
  type: 'core.updateAttributes',
  version: 1,
  category: 'customer',
  icon: 'pencil',
  label: t('更新属性', 'Update attributes'),
  description: t(
    '设置、清除或累加客户属性（如 圈层=核心、积分+10）',
    'Sets, clears or increments customer attributes (e.g. layer=core, points+10)',
  ),
  config: UpdateAttributesConfigSchema,
  defaultConfig: { changes: [{ op: 'set', name: 'layer', value: 'core' }] },
  outputs: NEXT_PORT,
  effect: {},
  customerUpdate: (config, customer) => attributeUpdate(config.changes, customer.attributes),
});

export type AttributeChange = z.output<typeof UpdateAttributesConfigSchema>['changes'][number];

/** The attributes a visit sets and removes (from `current`), and the step log's record of them. */
export function attributeUpdate(
  changes: readonly AttributeChange[],
  current: Readonly<Record<string, unknown>>,
): CustomerUpdateResult {
  const after = applyAttributeChanges(current, changes);
  const setAttributes: Record<string, unknown> = {};
  const unsetAttributes: string[] = [];
  for (const name of new Set(changes.map((c) => c.name))) {
    if (Object.hasOwn(after, name)) setAttributes[name] = after[name];
    else unsetAttributes.push(name);
  }
  return {
    update: { setAttributes, unsetAttributes },
    port: 'next',
    data: { attributes: changedAttributes(changes, after) },
  };
}

/** The step log's record of an attribute update: each changed name with its value after (null when unset). */
export function changedAttributes(
  changes: readonly AttributeChange[],
  after: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(changes.map((c) => [c.name, after[c.name] ?? null]));
}

/** Applies the changes to a copy of the attributes (the step's update and the executor both compute with this). */
export function applyAttributeChanges(
  attributes: Readonly<Record<string, unknown>>,
  changes: readonly AttributeChange[],
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...attributes };
  for (const change of changes) {
    if (change.op === 'set') next[change.name] = change.value;
    else if (change.op === 'unset') delete next[change.name];
    else {
      const current = Number(next[change.name] ?? 0);
      next[change.name] = (Number.isFinite(current) ? current : 0) + change.by;
    }
  }
  return next;
}
