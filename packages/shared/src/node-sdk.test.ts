import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { t } from './i18n.ts';
import {
  applyCustomerUpdate,
  type ConfigOf,
  defineExecutor,
  defineNode,
  defineNodePackage,
  type ExecutorContext,
  outputsOf,
  PermanentError,
  RetryableError,
} from './node-sdk.ts';
import { createNodeRegistry } from './registry.ts';
import { sampleRegistry, send, split } from './testing/sample-nodes.ts';

describe('node SDK', () => {
  it('types an executor config from the node schema without casts', async () => {
    const executor = defineExecutor(send, async (ctx) => {
      expectTypeOf(ctx.config).toEqualTypeOf<{ channel: 'sms' | 'wecom'; text: string }>();
      // @ts-expect-error: the schema has no "template" field
      void ctx.config.template;
      return { port: ctx.config.text.length > 3 ? 'sent' : 'failed' };
    });
    expectTypeOf<ConfigOf<typeof split>>().toEqualTypeOf<{
      variants: { id: string; label?: string; weight: number }[];
    }>();
    const ctx = { config: { channel: 'sms', text: 'hello' } } as ExecutorContext<ConfigOf<typeof send>>;
    expect(await executor.run(ctx)).toEqual({ port: 'sent' });
  });

  it('derives ports from config', () => {
    const config = split.config.parse({
      variants: [
        { id: 'x', weight: 1 },
        { id: 'y', weight: 3 },
      ],
    });
    expect(outputsOf(split, config).map((p) => p.id)).toEqual(['x', 'y']);
    expect(outputsOf(send, { channel: 'sms', text: 'a' }).map((p) => p.id)).toEqual(['sent', 'failed']);
  });

  it('has default configs that parse, for every test node', () => {
    for (const node of sampleRegistry.list())
      expect(node.config.safeParse(node.defaultConfig).success, node.type).toBe(true);
  });

  it('tells retryable and permanent errors apart', () => {
    const retry = new RetryableError('rate limited', { retryAfterMs: 60_000 });
    const permanent = new PermanentError('number is not a mobile number', { code: 'isv.MOBILE_NUMBER_ILLEGAL' });
    expect(retry.retryAfterMs).toBe(60_000);
    expect(permanent.code).toBe('isv.MOBILE_NUMBER_ILLEGAL');
    expect(retry).toBeInstanceOf(Error);
  });

  it('refuses two packages defining the same node type', () => {
    const a = defineNode({
      type: 'dup.node',
      version: 1,
      category: 'flow',
      icon: 'x',
      label: t('甲', 'A'),
      config: z.object({}),
      defaultConfig: {},
      outputs: [],
    });
    const pkg = (name: string) => defineNodePackage({ name, label: t(name, name), nodes: [a] });
    expect(() => createNodeRegistry([pkg('one'), pkg('two')])).toThrow(/"dup.node" is defined twice.*"two"/);
  });
});

describe('applyCustomerUpdate', () => {
  it('removes before it adds, keeps tags a set, and sets or removes attributes by name without touching the rest', () => {
    const before = { tags: ['lead', 'vip'], attributes: { points: 5, temp: 'x', city: '上海' } };
    const after = applyCustomerUpdate(before, {
      addTags: ['vip', 'gold', 'lead'],
      removeTags: ['lead'],
      setAttributes: { points: 15, layer: 'core' },
      unsetAttributes: ['temp', 'missing'],
    });
    // "lead" is both removed and added: removals first, so the customer keeps it.
    expect(after).toEqual({ tags: ['vip', 'gold', 'lead'], attributes: { points: 15, city: '上海', layer: 'core' } });
    expect(before).toEqual({ tags: ['lead', 'vip'], attributes: { points: 5, temp: 'x', city: '上海' } }); // untouched
    expect(applyCustomerUpdate(before, {})).toEqual(before);
  });
});
