// The small fixed data sets the report tests check by hand. Rows are inserted with SQL through the
// SQL port, into SQLite or PostgreSQL alike, exactly as the engine and the importers store them.
import type { JourneyGraphInput } from '@siyu/shared';
import { graphOf, publishJourneyOn } from '../../testing/fixtures.ts';
import type { SqlClient } from '../db/sql-client.ts';
import { entryCodeOf } from '../engine/channel-attribution.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Monday 2026-01-05 10:00 China time (the harness clock's default). */
export const T0 = Date.UTC(2026, 0, 5, 2);

let eventSeq = 0;

/** A journey and one published version of it, live (testing/fixtures.ts publishJourneyOn). */
export function publishJourneyWith(
  sql: SqlClient,
  journeyId: string,
  graphInput: JourneyGraphInput,
  version = 1,
): Promise<string> {
  return publishJourneyOn({ sql }, journeyId, graphInput, version);
}

function inserter(sql: SqlClient) {
  return {
    async customer(id: string, createdAt: number, channelCode: string | null = null, variant: string | null = null) {
      await sql.run(
        'INSERT INTO Customer (id, displayName, attributes, channelCode, variant, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, id, '{}', channelCode, variant, new Date(createdAt), new Date(createdAt)],
      );
    },
    /** As engine/event-inserter.ts stores it (entryCode derived the same way). */
    async event(type: string, customerId: string | null, at: number, data: Record<string, unknown> = {}) {
      await sql.run(
        `INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data, source, processedAt, entryCode)
         VALUES (?, ?, ?, ?, ?, ?, 'api', NULL, ?) ON CONFLICT DO NOTHING`,
        [`e${++eventSeq}`, type, customerId, at, at, JSON.stringify(data), entryCodeOf(type, data)],
      );
    },
    /** An order as the order recorder stores it: the Order row and its order.placed event. */
    async order(id: string, customerId: string, amountCents: number, at: number) {
      await sql.run(
        `INSERT INTO "Order" (id, customerId, amountCents, placedAt, channelCode, data)
         VALUES (?, ?, ?, ?, (SELECT channelCode FROM Customer WHERE id = ?), '{}')`,
        [id, customerId, amountCents, new Date(at), customerId],
      );
      await this.event('order.placed', customerId, at, { orderId: id, amountCents });
    },
    async message(
      key: string,
      customerId: string,
      sentAt: number,
      opts: { content?: string; status?: string; journeyId?: string; nodeId?: string } = {},
    ) {
      await sql.run(
        `INSERT INTO Message (idempotencyKey, customerId, channel, provider, kind, recipient, content, status, journeyId, nodeId, sentAt)
         VALUES (?, ?, 'sms', 'sandbox', 'marketing', '+8613800000000', ?, ?, ?, ?, ?)`,
        [
          key,
          customerId,
          opts.content ?? '【品牌】您好 拒收请回复R',
          opts.status ?? 'sent',
          opts.journeyId ?? null,
          opts.nodeId ?? null,
          sentAt,
        ],
      );
    },
    async trackedLink(code: string, messageKey: string, customerId: string, url: string) {
      await sql.run('INSERT INTO TrackedLink (code, messageKey, customerId, url, createdAt) VALUES (?, ?, ?, ?, ?)', [
        code,
        messageKey,
        customerId,
        url,
        new Date(T0),
      ]);
    },
  };
}

/**
 * Channels, customers, touches and orders for the channel, attribution, cohort and channel
 * monitoring tests (period [T0, T0 + 30 d), 7-day window):
 *
 *   code    variant delivered  customers (first touch, created)        touches in the period
 *   card-a  A       100        c1 (T0), c2 (T0+1d), c6 (T0−30d)        c1 entered T0, c2 entered T0+1d, anonymous scan T0+1h
 *   card-b  B        50        c3 (T0+2d)                              c3 entered T0+2d, c2 entered T0+10d
 *   sms-1   default   0 + 3 SMS c5 (T0+9d)                             c5 clicked T0+9d
 *   —                          c4 (T0+8d, entered unknown code T0+7d), c7 (T0+3d, no orders)
 *
 *   order  customer  ¥      placed     credited to (rule)
 *   o1     c1        100    T0+1d      card-a  last touch T0 (1 d before)
 *   o2     c1         50    T0+9d      card-a  first touch (last touch 9 d before: outside)
 *   o3     c2        200    T0+12d     card-b  last touch T0+10d
 *   o4     c3         80    T0+2d      card-b  last touch at the same instant (inclusive)
 *   o5     c4         30    T0+8d      none    (unknown code is not a touch; no first touch)
 *   o6     c5         60    T0+9d+1h   sms-1   last touch (link.clicked)
 *   o7     c6         40    T0+3d      card-a  first touch (touch T0−30d outside the window)
 *   o8     c2         10    T0+8d      card-a  last touch T0+1d, exactly 7 d before (inclusive)
 */
export function seedChannels(sql: SqlClient): Promise<void> {
  return sql.transaction(async (tx) => {
    const put = inserter(tx);
    await tx.run(
      "INSERT INTO Channel (id, name, kind, createdAt) VALUES ('ch-card', '包裹卡', 'packageCard', ?), ('ch-sms', '短信召回', 'smsLink', ?)",
      [new Date(T0 - 40 * DAY), new Date(T0 - 39 * DAY)],
    );
    const code = (code: string, channelId: string, variant: string, delivered: number) =>
      tx.run('INSERT INTO EntryCode (code, channelId, variant, delivered, createdAt) VALUES (?, ?, ?, ?, ?)', [
        code,
        channelId,
        variant,
        delivered,
        new Date(T0),
      ]);
    await code('card-a', 'ch-card', 'A', 100);
    await code('card-b', 'ch-card', 'B', 50);
    await code('sms-1', 'ch-sms', 'default', 0);

    await put.customer('c1', T0, 'card-a', 'A');
    await put.customer('c2', T0 + DAY, 'card-a', 'A');
    await put.customer('c3', T0 + 2 * DAY, 'card-b', 'B');
    await put.customer('c4', T0 + 8 * DAY);
    await put.customer('c5', T0 + 9 * DAY, 'sms-1', 'default');
    await put.customer('c6', T0 - 30 * DAY, 'card-a', 'A');
    await put.customer('c7', T0 + 3 * DAY);

    await put.event('channel.entered', 'c1', T0, { code: 'card-a', variant: 'A' });
    await put.event('qr.scanned', null, T0 + HOUR, { code: 'card-a', variant: 'A' });
    await put.event('channel.entered', 'c2', T0 + DAY, { code: 'card-a', variant: 'A' });
    await put.event('channel.entered', 'c3', T0 + 2 * DAY, { code: 'card-b', variant: 'B' });
    await put.event('channel.entered', 'c4', T0 + 7 * DAY, { code: 'unknown-x' });
    await put.event('link.clicked', 'c5', T0 + 9 * DAY, { code: 'sms-1', variant: 'default' });
    await put.event('channel.entered', 'c2', T0 + 10 * DAY, { code: 'card-b', variant: 'B' });
    await put.event('channel.entered', 'c6', T0 - 30 * DAY, { code: 'card-a', variant: 'A' });

    await put.order('o1', 'c1', 10000, T0 + DAY);
    await put.order('o2', 'c1', 5000, T0 + 9 * DAY);
    await put.order('o3', 'c2', 20000, T0 + 12 * DAY);
    await put.order('o4', 'c3', 8000, T0 + 2 * DAY);
    await put.order('o5', 'c4', 3000, T0 + 8 * DAY);
    await put.order('o6', 'c5', 6000, T0 + 9 * DAY + HOUR);
    await put.order('o7', 'c6', 4000, T0 + 3 * DAY);
    await put.order('o8', 'c2', 1000, T0 + 8 * DAY);

    // SMS carrying sms-1's link (/r/sms-1): counted = ms1 and ms7 (the same text), ms2 (tracked
    // link), ms6 (both, once). Not counted: ms3 failed, ms4 another code's link, ms5 before the period.
    const link = 'http://localhost:3000/r/sms-1';
    await put.message('ms1', 'c5', T0 + 9 * DAY - HOUR, { content: `【品牌】回来看看 ${link} 拒收请回复R` });
    await put.message('ms7', 'c7', T0 + 9 * DAY, { content: `【品牌】回来看看 ${link} 拒收请回复R` });
    await put.message('ms2', 'c4', T0 + 5 * DAY, { content: '【品牌】回来看看 /webhooks/sms/link?c=L2 拒收请回复R' });
    await put.trackedLink('L2', 'ms2', 'c4', link);
    await put.message('ms3', 'c7', T0 + 5 * DAY, { content: `【品牌】${link}`, status: 'failed' });
    await put.message('ms4', 'c7', T0 + 5 * DAY, { content: '【品牌】http://localhost:3000/r/sms-10 拒收请回复R' });
    await put.message('ms5', 'c7', T0 - DAY, { content: `【品牌】${link}` });
    await put.message('ms6', 'c3', T0 + 6 * DAY, { content: `【品牌】${link}` });
    await put.trackedLink('L6', 'ms6', 'c3', link);
  });
}

/** entry → A/B split (a: SMS with a tracked link, b: wait a day) → exit; goal: an order within 7 days; 20 % held out. */
export function abJourney(): JourneyGraphInput {
  return graphOf(
    [
      ['entry', 'core.apiEntry', {}],
      [
        'split',
        'core.abSplit',
        {
          variants: [
            { id: 'a', label: '文案 A', weight: 50 },
            { id: 'b', label: '文案 B', weight: 50 },
          ],
        },
      ],
      [
        'smsA',
        'sms.send',
        {
          templateCode: 'SMS_1',
          signName: '品牌',
          content: '{{displayName}}您好，点此领券 {{link}} 拒收请回复R',
          params: {},
          kind: 'marketing',
          trackedLink: { url: 'https://shop.example.com/a' },
        },
      ],
      ['waitB', 'core.wait', { duration: { amount: 1, unit: 'days' } }],
      ['exit', 'core.exit', { reason: '完成' }],
    ],
    [
      ['entry', 'next', 'split'],
      ['split', 'a', 'smsA'],
      ['split', 'b', 'waitB'],
      ['smsA', 'sent', 'exit'],
      ['waitB', 'next', 'exit'],
    ],
    {
      quietHours: { enabled: false },
      goal: { event: 'order.placed', window: { amount: 7, unit: 'days' } },
      holdoutPercent: 20,
    },
  );
}

/**
 * Journey j-ab (version j-ab-v1), every run entering at T0:
 *
 *   run  customer  group    path                         goal
 *   i1   cj1       a        entry split smsA exit (+smsA again)  engine goalAt (order T0+3h)
 *   i2   cj2       a        entry split smsA exit         engine goalAt (order T0+1d)
 *   i3   cj3       a        entry split smsA exit         order T0+3d after the run ended: converted by event
 *   i4   cj4       a        entry split smsA              order T0+8d: outside 7 d, not converted
 *   i5   cj5       a        entry split smsA              —
 *   i6   cj6       b        entry split waitB exit        engine goalAt (order T0+2d)
 *   i7   cj7       b        entry split waitB exit        order T0−1d, before entering: not converted
 *   i8   cj8       b        entry split waitB             —
 *   i9   cj9       b        entry split waitB             —
 *   h1   ch1       holdout  (enter only)                  order T0+1d: converted
 *   h2   ch2       holdout                                —
 *   h3   ch3       holdout                                order T0+10d: not converted
 *
 * smsA messages at S = T0+1h to cj1–cj4 (cj5's failed). After S: clicks cj1 +1h, cj2 +5h, cj1 +7h,
 * cj3 +25h, and non-recipient cj6 +1h; channel.entered cj2 +5.5h, cj4 +11h; orders cj1 +2h (¥100),
 * cj2 +23h (¥200).
 */
export async function seedAbJourney(sql: SqlClient): Promise<{
  versionId: string;
  instances: Record<string, number>;
}> {
  const versionId = await publishJourneyWith(sql, 'j-ab', abJourney());
  const instances: Record<string, number> = {};
  const S = T0 + HOUR;
  await sql.transaction(async (tx) => {
    const put = inserter(tx);
    const step = (instanceId: number, at: number, kind: string, nodeId: string | null, fromNodeId: string | null) =>
      tx.run(
        `INSERT INTO StepLog (instanceId, journeyId, versionId, at, kind, nodeId, fromNodeId) VALUES (?, 'j-ab', ?, ?, ?, ?, ?)`,
        [instanceId, versionId, at, kind, nodeId, fromNodeId],
      );
    const run = async (name: string, customer: string, path: string[], goalAt: number | null, holdout = false) => {
      await put.customer(customer, T0 - 60 * DAY);
      const ended = holdout || path.at(-1) === 'exit';
      const row = await tx.get<{ id: number }>(
        `INSERT INTO Instance (journeyId, versionId, customerId, status, holdout, snapshot, nodeId, goalAt, enteredAt, updatedAt)
         VALUES ('j-ab', ?, ?, ?, ?, '{}', ?, ?, ?, ?) RETURNING id`,
        [
          versionId,
          customer,
          holdout ? 'completed' : ended ? 'exited' : 'active',
          holdout,
          path.at(-1) ?? 'entry',
          goalAt === null ? null : new Date(goalAt),
          new Date(T0),
          new Date(T0),
        ],
      );
      const id = Number(row?.id);
      instances[name] = id;
      await step(id, T0, 'enter', holdout ? 'entry' : null, null);
      let from: string | null = null;
      for (const node of path) {
        await step(id, T0, 'move', node, from);
        from = node;
      }
      if (goalAt !== null) await step(id, goalAt, 'goal', from, null);
    };
    const a = ['entry', 'split', 'smsA'];
    const b = ['entry', 'split', 'waitB'];
    await run('i1', 'cj1', [...a, 'exit'], T0 + 3 * HOUR);
    await step(instances.i1 as number, T0 + HOUR, 'move', 'smsA', 'split'); // a second visit: still one run
    await run('i2', 'cj2', [...a, 'exit'], T0 + DAY);
    await run('i3', 'cj3', [...a, 'exit'], null);
    await run('i4', 'cj4', a, null);
    await run('i5', 'cj5', a, null);
    await run('i6', 'cj6', [...b, 'exit'], T0 + 2 * DAY);
    await run('i7', 'cj7', [...b, 'exit'], null);
    await run('i8', 'cj8', b, null);
    await run('i9', 'cj9', b, null);
    await run('h1', 'ch1', [], null, true);
    await run('h2', 'ch2', [], null, true);
    await run('h3', 'ch3', [], null, true);

    await put.order('oj1', 'cj1', 10000, T0 + 3 * HOUR);
    await put.order('oj2', 'cj2', 20000, T0 + DAY);
    await put.order('oj3', 'cj3', 3000, T0 + 3 * DAY);
    await put.order('oj4', 'cj4', 4000, T0 + 8 * DAY);
    await put.order('oj6', 'cj6', 6000, T0 + 2 * DAY);
    await put.order('oj7', 'cj7', 7000, T0 - DAY);
    await put.order('oh1', 'ch1', 1000, T0 + DAY);
    await put.order('oh3', 'ch3', 3000, T0 + 10 * DAY);

    for (const [i, customer] of ['cj1', 'cj2', 'cj3', 'cj4'].entries()) {
      await put.message(`m${i}`, customer, S, { journeyId: 'j-ab', nodeId: 'smsA' });
    }
    await put.message('m-failed', 'cj5', S, { journeyId: 'j-ab', nodeId: 'smsA', status: 'failed' });
    await put.event('link.clicked', 'cj1', S + HOUR, { code: 'La' });
    await put.event('link.clicked', 'cj2', S + 5 * HOUR, { code: 'Lb' });
    await put.event('link.clicked', 'cj1', S + 7 * HOUR, { code: 'La' });
    await put.event('link.clicked', 'cj3', S + 25 * HOUR, { code: 'Lc' });
    await put.event('link.clicked', 'cj6', S + HOUR, { code: 'Ld' });
    await put.event('channel.entered', 'cj2', S + 5.5 * HOUR, { code: 'wx-1' });
    await put.event('channel.entered', 'cj4', S + 11 * HOUR, { code: 'wx-1' });
  });
  return { versionId, instances };
}
