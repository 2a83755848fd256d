// Stand-in node package for the engine's own tests, the crash test and the benchmark. It has the
// same shape as the real core/sms/wecom/coupons nodes (decide / effect / await parts, the same
// ports) but lives here so the engine can be measured and tested on its own. Its executors are a
// sandbox provider: every message is a Message row keyed by the idempotency key (unique), so the
// table itself proves "exactly once".
import {
  DurationSchema,
  defineExecutor,
  defineNode,
  defineNodePackage,
  durationToMs,
  evaluateFilter,
  FilterSchema,
  type NodeExecutor,
  PermanentError,
  RetryableError,
  t,
} from '@siyu/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { filterContext as filterContextOf } from '../src/engine/compiler.ts';

const next = [{ id: 'next', label: t('继续', 'Next') }];

export const apiEntry = defineNode({
  type: 'sample.apiEntry',
  version: 1,
  category: 'entry',
  icon: 'api',
  label: t('API 入口', 'API entry'),
  config: z.object({}),
  defaultConfig: {},
  outputs: next,
  entry: { trigger: () => ({ kind: 'api' }) },
});

export const eventEntry = defineNode({
  type: 'sample.eventEntry',
  version: 1,
  category: 'entry',
  icon: 'bolt',
  label: t('事件入口', 'Event entry'),
  config: z.object({ event: z.string().min(1), filter: FilterSchema.optional() }),
  defaultConfig: { event: 'wecom.contactAdded' },
  outputs: next,
  entry: { trigger: (c) => ({ kind: 'event', event: c.event, filter: c.filter }) },
});

export const send = defineNode({
  type: 'sample.send',
  version: 1,
  category: 'message',
  icon: 'sms',
  label: t('发送消息', 'Send message'),
  config: z.object({ channel: z.enum(['sms', 'wecom']).default('wecom'), text: z.string().min(1).max(500) }),
  defaultConfig: { channel: 'wecom', text: '你好' },
  outputs: [
    { id: 'sent', label: t('已发送', 'Sent') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
  ],
  effect: { channel: 'wecom', failurePort: 'failed' },
});

export const tag = defineNode({
  type: 'sample.tag',
  version: 1,
  category: 'customer',
  icon: 'tag',
  label: t('打标签', 'Tag'),
  config: z.object({ add: z.array(z.string().min(1)).default([]) }),
  defaultConfig: { add: [] },
  outputs: next,
  effect: {},
});

export const coupon = defineNode({
  type: 'sample.coupon',
  version: 1,
  category: 'offer',
  icon: 'ticket',
  label: t('发券', 'Issue coupon'),
  config: z.object({ stock: z.string().min(1) }),
  defaultConfig: { stock: 'welcome' },
  outputs: [
    { id: 'issued', label: t('已发券', 'Issued') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
  ],
  effect: { failurePort: 'failed' },
});

export const wait = defineNode({
  type: 'sample.wait',
  version: 1,
  category: 'flow',
  icon: 'clock',
  label: t('等待', 'Wait'),
  config: z.object({ duration: DurationSchema }),
  defaultConfig: { duration: { amount: 1, unit: 'days' } },
  outputs: next,
  await: (c, ctx) => ({ timeout: { at: new Date(ctx.now.getTime() + durationToMs(c.duration)), port: 'next' } }),
});

export const waitForEvent = defineNode({
  type: 'sample.waitForEvent',
  version: 1,
  category: 'flow',
  icon: 'hourglass',
  label: t('等待事件', 'Wait for event'),
  config: z.object({ event: z.string().min(1), filter: FilterSchema.optional(), timeout: DurationSchema }),
  defaultConfig: { event: 'order.placed', timeout: { amount: 7, unit: 'days' } },
  outputs: [
    { id: 'matched', label: t('已发生', 'Matched') },
    { id: 'timeout', label: t('超时', 'Timed out') },
  ],
  await: (c, ctx) => ({
    events: [{ type: c.event, filter: c.filter, port: 'matched' }],
    timeout: { at: new Date(ctx.now.getTime() + durationToMs(c.timeout)), port: 'timeout' },
  }),
});

export const branch = defineNode({
  type: 'sample.branch',
  version: 1,
  category: 'flow',
  icon: 'branch',
  label: t('条件分支', 'Branch'),
  config: z.object({ cases: z.array(z.object({ id: z.string().min(1), filter: FilterSchema })).min(1) }),
  defaultConfig: { cases: [{ id: 'yes', filter: { match: 'all', conditions: [] } }] },
  outputs: (c) => [
    ...c.cases.map((k) => ({ id: k.id, label: t(k.id, k.id) })),
    { id: 'else', label: t('其他', 'Else') },
  ],
  decide: (c, ctx) =>
    c.cases.find((k) => evaluateFilter(k.filter, filterContextOf(ctx.customer, ctx.event)))?.id ?? 'else',
});

export const split = defineNode({
  type: 'sample.split',
  version: 1,
  category: 'flow',
  icon: 'split',
  label: t('A/B 分流', 'A/B split'),
  config: z.object({ variants: z.array(z.object({ id: z.string().min(1), weight: z.number().positive() })).min(2) }),
  defaultConfig: {
    variants: [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 1 },
    ],
  },
  outputs: (c) => c.variants.map((v) => ({ id: v.id, label: t(v.id, v.id) })),
  decide: (c, ctx) => {
    const total = c.variants.reduce((s, v) => s + v.weight, 0);
    let u = ctx.random * total;
    for (const v of c.variants) {
      u -= v.weight;
      if (u < 0) return v.id;
    }
    return c.variants[c.variants.length - 1]?.id ?? 'a';
  },
});

export const exit = defineNode({
  type: 'sample.exit',
  version: 1,
  category: 'goal',
  icon: 'flag',
  label: t('退出', 'Exit'),
  config: z.object({ reason: z.string().default('done') }),
  defaultConfig: { reason: 'done' },
  outputs: [],
  ends: 'exited',
});

export const samplePackage = defineNodePackage({
  name: 'sample',
  label: t('示例节点', 'Sample nodes'),
  nodes: [apiEntry, eventEntry, send, tag, coupon, wait, waitForEvent, branch, split, exit],
});

export interface SandboxOptions {
  /** Called before each send; throw RetryableError/PermanentError to simulate provider trouble. */
  beforeSend?: (idempotencyKey: string, attempt: number) => void;
  /** Called after a message was recorded (latency measurement). */
  onSent?: (idempotencyKey: string) => void;
}

/**
 * The sandbox provider's group commit: writes requested in the same turn of the event loop (a
 * dispatcher batch starts all its executors at once) are committed in one transaction, and each
 * executor returns only after that commit. The provider's record is durable before the engine
 * stores the outcome, exactly as with one commit per message, at a fraction of the cost.
 */
function groupCommit(sqlite: BetterSqlite3.Database): (write: () => void) => Promise<void> {
  let queue: Array<{ write: () => void; resolve: () => void; reject: (error: unknown) => void }> = [];
  const commit = () => {
    const batch = queue;
    queue = [];
    const failures = new Map<number, unknown>();
    try {
      sqlite.transaction(() => {
        batch.forEach((item, i) => {
          try {
            item.write();
          } catch (error) {
            failures.set(i, error);
          }
        });
      })();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      if (failures.has(i)) item.reject(failures.get(i));
      else item.resolve();
    });
  };
  return (write) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length === 0) queueMicrotask(commit);
      queue.push({ write, resolve, reject });
    });
}

/**
 * Sandbox executors over the runtime database. A message is recorded with INSERT OR IGNORE on its
 * idempotency key, so a retry after a crash finds the earlier send and reports success again.
 */
export function sampleExecutors(sqlite: BetterSqlite3.Database, options: SandboxOptions = {}): NodeExecutor[] {
  const record = groupCommit(sqlite);
  const insertMessage = sqlite.prepare(
    `INSERT OR IGNORE INTO Message (idempotencyKey, customerId, channel, provider, recipient, content, nodeId, sentAt)
     VALUES (?, ?, ?, 'sandbox', ?, ?, ?, ?)`,
  );
  const insertTag = sqlite.prepare(
    `INSERT OR IGNORE INTO CustomerTag (customerId, tag, source, createdAt) VALUES (?, ?, ?, ?)`,
  );
  return [
    defineExecutor(send, async (ctx) => {
      options.beforeSend?.(ctx.idempotencyKey, ctx.attempt);
      if (!ctx.customer.identities.phone && ctx.config.channel === 'sms') {
        throw new PermanentError('customer has no phone number', { code: 'noPhone' });
      }
      await record(() =>
        insertMessage.run(
          ctx.idempotencyKey,
          ctx.customer.id,
          ctx.config.channel,
          ctx.customer.identities.phone ?? ctx.customer.id,
          ctx.config.text,
          ctx.nodeId,
          ctx.now.getTime(),
        ),
      );
      options.onSent?.(ctx.idempotencyKey);
      return { port: 'sent' };
    }),
    defineExecutor(tag, async (ctx) => {
      const at = ctx.now.toISOString().replace('Z', '+00:00');
      await record(() => {
        for (const name of ctx.config.add) insertTag.run(ctx.customer.id, name, `journey:${ctx.journey.id}`, at);
      });
      options.onSent?.(ctx.idempotencyKey);
      return { port: 'next' };
    }),
    defineExecutor(coupon, async (ctx) => {
      options.onSent?.(ctx.idempotencyKey);
      return { port: 'issued', data: { couponId: `sandbox-${ctx.idempotencyKey}` } };
    }),
  ];
}

export { RetryableError };
