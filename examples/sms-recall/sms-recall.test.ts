// 短信召回 end to end: a CRM order export with repeated customers, duplicate rows and bad numbers
// goes through the real import; the RFM audience (≥ 2 orders, 60 days quiet) is enrolled when the
// operator publishes on a Sunday night; 10 % are held out; an A/B split of copy and send time;
// customers who had opted out before, who reply TD, who tap the link, add WeCom and order, and
// customers a shipping notice from another journey already reached this week (frequency cap).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  chinaTime,
  chinaTimeText,
  DAY,
  endStates,
  HOUR,
  hashToUnit,
  MINUTE,
  messagesTwicePerStep,
  orderPlaced,
  type Playbook,
  pickWeighted,
  play,
  Rng,
  sentInQuietHours,
  smsReplies,
  startPlaybook,
  tagCounts,
  tally,
  tapSmsLink,
} from '../simulation/index.ts';

const START = chinaTime(2026, 3, 1, 23, 10); // Sunday 23:10: the operator publishes late at night
const MONDAY_8 = chinaTime(2026, 3, 2, 8); // copy A waits out the quiet hours
const MONDAY_NOON = chinaTime(2026, 3, 2, 12); // copy B's send window opens
const CUSTOMERS = 3000;

interface Shopper {
  phone: string; // national form; the export writes it in assorted ways
  name: string;
  orders: { id: string; at: number; amountCents: number }[];
  optedOutBefore: boolean;
  /** A parcel shipped in the days before the campaign: the shipping-notice journey texts them. */
  shippedAt?: number;
  // Reactions to the SMS, relative to when it arrives:
  optOutAfter?: number;
  clickAfter?: number;
  addAfterClick?: number;
  orderAfter?: number; // after the WeCom add (or after the click without one)
  spontaneousOrderAt?: number; // orders anyway (holdout and control behaviour)
}

function planShoppers(seed: number): Shopper[] {
  const rng = new Rng(seed);
  const shoppers: Shopper[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const orderCount = rng.pick([1, 1, 2, 2, 3, 4, 5]);
    const lastAgoDays = rng.between(3, 420);
    const orders = Array.from({ length: orderCount }, (_, k) => ({
      id: `TB2025${String(i).padStart(5, '0')}${k}`,
      // Whole seconds: the export has second precision.
      at: Math.floor((START - (lastAgoDays + k * rng.between(20, 90)) * DAY) / 1000) * 1000,
      amountCents: rng.int(39, 399) * 100,
    }));
    const s: Shopper = {
      phone: `139${String(i * 37 + 1000).padStart(8, '0')}`,
      name: `顾客${i}`,
      orders,
      optedOutBefore: rng.chance(0.02),
    };
    if (rng.chance(0.06)) s.shippedAt = START - Math.floor(rng.between(DAY, 3 * DAY));
    if (rng.chance(0.03)) s.optOutAfter = rng.between(10 * MINUTE, 20 * HOUR);
    else if (rng.chance(0.15)) {
      s.clickAfter = rng.between(5 * MINUTE, 80 * HOUR); // a few after the 3-day wait
      if (rng.chance(0.6)) s.addAfterClick = rng.between(MINUTE, 30 * HOUR);
      if (rng.chance(0.45)) s.orderAfter = rng.between(HOUR, 9 * DAY);
    }
    if (rng.chance(0.04)) s.spontaneousOrderAt = START + rng.between(HOUR, 9 * DAY);
    shoppers.push(s);
  }
  return shoppers;
}

/** The shop's order export: one row per order, phones written many ways, some rows twice, some bad. */
function orderExport(shoppers: Shopper[], rng: Rng): { csv: string; duplicates: number; rejected: number } {
  const lines = ['订单编号,手机号,收货人,实付金额,下单时间,城市'];
  let duplicates = 0;
  let rejected = 0;
  const styles = [
    (p: string) => p,
    (p: string) => `${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}`,
    (p: string) => `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`,
    (p: string) => `86${p}`,
  ];
  for (const s of shoppers) {
    const city = rng.pick(['上海', '杭州', '苏州', '南京']);
    for (const o of s.orders) {
      const row = `${o.id},${rng.pick(styles)(s.phone)},${s.name},${(o.amountCents / 100).toFixed(2)},${chinaTimeText(o.at)},${city}`;
      lines.push(row);
      if (rng.chance(0.04)) {
        lines.push(row); // the export repeats a row (split shipment)
        duplicates++;
      }
    }
    if (rng.chance(0.01)) {
      lines.push(`BAD${s.phone},${s.phone.slice(0, 7)},${s.name},59.00,${chinaTimeText(START - 30 * DAY)},${city}`);
      rejected++;
    }
  }
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, duplicates, rejected };
}

const shoppers = planShoppers(20260301);
const exported = orderExport(shoppers, new Rng(7));
const e164 = (s: Shopper) => `+86${s.phone}`;
const lastOrder = (s: Shopper) => Math.max(...s.orders.map((o) => o.at));
const inAudience = (s: Shopper) => s.orders.length >= 2 && Math.floor((START - lastOrder(s)) / DAY) >= 60;
const audience = shoppers.filter(inAudience);

/** The brand's other live journey: a notice SMS when an order ships. */
function shippingNotice() {
  const at = (x: number) => ({ x, y: 0 });
  return {
    nodes: [
      {
        id: 'shipped',
        type: 'core.eventEntry',
        typeVersion: 1,
        position: at(0),
        config: { event: 'order.shipped', filter: { match: 'all' as const, conditions: [] } },
      },
      {
        id: 'notice',
        type: 'sms.send',
        typeVersion: 1,
        position: at(280),
        config: {
          templateCode: 'SMS_480100001',
          signName: '小雅美妆',
          content: '{{displayName}}，您的包裹已发出，请留意查收。',
          params: { name: '{{displayName}}' },
          kind: 'notice',
        },
      },
      { id: 'done', type: 'core.exit', typeVersion: 1, position: at(560), config: { reason: '已通知' } },
    ],
    edges: [
      { id: 'e1', source: 'shipped', sourcePort: 'next', target: 'notice' },
      { id: 'e2', source: 'notice', sourcePort: 'sent', target: 'done' },
    ],
    settings: { reEntry: { policy: 'always' as const } },
  };
}

let book: Playbook;
let idOf: Map<string, string>; // E.164 phone → customer id
let importReport: Awaited<ReturnType<Playbook['api']['audiences']['import']>>;
let segmentSize = 0;

interface Expected {
  holdout: boolean;
  /** Held back by the 1-SMS-per-7-days cap: the shipping notice already went out this week. */
  capped?: boolean;
  variant?: 'copyA' | 'copyB';
  sentAt?: number;
  state: string;
  goal: boolean;
  clickedAt?: number;
  addedAt?: number;
}

/** The journey's rules applied to the plan (holdout and split by their documented hashes). */
function expectedRun(s: Shopper, customerId: string, journeyId: string): Expected {
  const holdout = hashToUnit(`${customerId}:${journeyId}:holdout`) * 100 < 10;
  if (holdout) return { holdout, state: 'completed@audience', goal: false };
  const variant = pickWeighted([50, 50], hashToUnit(`${customerId}:ab`)) === 0 ? 'copyA' : 'copyB';
  const sentAt = variant === 'copyA' ? MONDAY_8 : MONDAY_NOON;
  const orders = [s.spontaneousOrderAt].filter((t): t is number => t !== undefined);
  let state: string;
  let end: number;
  let clickedAt: number | undefined;
  let addedAt: number | undefined;
  // The notice to an opted-out number failed, so only the others have an SMS this week.
  const capped = s.shippedAt !== undefined && !s.optedOutBefore;
  if (capped) {
    // Skipped by the cap, the run goes on along "sent" and times out waiting for a click.
    state = 'exited@noClick(未点击)';
    end = sentAt + 3 * DAY;
  } else if (s.optedOutBefore) {
    state = 'exited@notSent(未发送)';
    end = sentAt;
  } else if (s.optOutAfter !== undefined) {
    state = 'exited@waitClick(exitCondition:sms.optedOut)';
    end = sentAt + s.optOutAfter;
  } else if (s.clickAfter === undefined || s.clickAfter >= 3 * DAY) {
    state = 'exited@noClick(未点击)';
    end = sentAt + 3 * DAY;
    if (s.clickAfter !== undefined) clickedAt = sentAt + s.clickAfter; // too late: ignored
  } else {
    clickedAt = sentAt + s.clickAfter;
    if (s.addAfterClick === undefined || s.addAfterClick >= DAY) {
      state = 'exited@clickedOnly(点击未加企微)';
      end = clickedAt + DAY;
      if (s.addAfterClick !== undefined) addedAt = clickedAt + s.addAfterClick;
      // Their order (if any) comes after the late add, or after the click.
      if (s.orderAfter !== undefined) orders.push((addedAt ?? clickedAt) + s.orderAfter);
    } else {
      addedAt = clickedAt + s.addAfterClick;
      const order = s.orderAfter !== undefined ? addedAt + s.orderAfter : undefined;
      if (order !== undefined) orders.push(order);
      const firstAfterAdd = Math.min(...orders.filter((o) => o > addedAt!));
      if (firstAfterAdd < addedAt + 7 * DAY) {
        state = 'exited@ordered(已下单)';
        end = firstAfterAdd;
      } else {
        state = 'exited@addedOnly(已加企微未下单)';
        end = addedAt + 7 * DAY;
      }
    }
  }
  // Goal: the goal node after an order the last wait saw, or any other order while the run was
  // going, within 7 days of entering (the journey's goal setting).
  const goal = state === 'exited@ordered(已下单)' || orders.some((o) => o < end && o - START <= 7 * DAY);
  return { holdout, capped, variant, sentAt, state, goal, clickedAt, addedAt };
}

let expected: Map<Shopper, Expected>;

beforeAll(async () => {
  // The book opens five days early: earlier opt-outs and this week's shipping notices happen first.
  book = await startPlaybook('sms-recall', START - 5 * DAY);
  importReport = await book.api.audiences.import({
    fileName: '店铺订单导出_2025.csv',
    contentBase64: Buffer.from(exported.csv, 'utf8').toString('base64'),
    mode: 'skipInvalid',
    tags: ['CRM导入'],
  });
  idOf = new Map(
    book
      .rows<{ value: string; customerId: string }>(
        "SELECT value, customerId FROM CustomerIdentity WHERE kind = 'phone'",
      )
      .map((r) => [r.value, r.customerId]),
  );
  // Numbers that replied TD to an earlier campaign, through the SMS provider's reply callback.
  await smsReplies(
    book,
    shoppers
      .filter((s) => s.optedOutBefore)
      .map((s, i) => ({ phone: s.phone, text: 'TD', at: START - 5 * DAY, sequenceId: `old-${i}` })),
  );
  const segment = await book.api.audiences.saveSegment({
    name: '沉睡老客',
    filter: {
      match: 'all',
      conditions: [
        { field: 'rfm.orderCount', op: 'gte', value: 2 },
        { field: 'rfm.recencyDays', op: 'gte', value: 60 },
      ],
    },
  });
  // The order-shipped notice: another live journey texting the same customers.
  const notice = await book.api.journeys.create({ name: '发货通知', graph: shippingNotice() });
  await book.api.journeys.publish({ id: notice.id });
  await play(
    book,
    shoppers
      .filter((s) => s.shippedAt !== undefined)
      .map((s, i) => ({
        at: s.shippedAt as number,
        run: () =>
          book.api.events.ingest({
            id: `shipped-${i}`,
            type: 'order.shipped',
            identities: { phone: e164(s) },
            occurredAt: new Date(s.shippedAt as number),
            data: {},
          }),
      })),
  );
  await book.advanceTo(START);
  segmentSize = (await book.api.audiences.getSegment({ id: segment.id })).preview.size;
  await book.publish();

  expected = new Map(audience.map((s) => [s, expectedRun(s, idOf.get(e164(s)) as string, book.journeyId)]));
  const smsOf = (s: Shopper) =>
    book.rows<{ content: string }>(
      "SELECT content FROM Message WHERE channel = 'sms' AND recipient = ? AND nodeId IN ('smsA', 'smsB')",
      e164(s),
    )[0]?.content;
  const actions: Action[] = [];
  let seq = 0;
  for (const s of shoppers) {
    const customerId = idOf.get(e164(s)) as string;
    const order = (at: number, n: number) => () =>
      book.api.events.ingest(
        orderPlaced({ orderId: `YZ${s.phone}-${n}`, at, amountCents: 12_900, identities: { phone: e164(s) } }),
      );
    if (s.spontaneousOrderAt !== undefined)
      actions.push({ at: s.spontaneousOrderAt, run: order(s.spontaneousOrderAt, 0) });
    const e = expected.get(s);
    // Outside the audience, held out or capped: no campaign SMS came, so nothing to react to.
    if (!e?.sentAt || e.holdout || e.capped || s.optedOutBefore) continue;
    const sentAt = e.sentAt;
    if (s.optOutAfter !== undefined) {
      const at = sentAt + s.optOutAfter;
      const id = `td-${seq++}`;
      actions.push({ at, run: () => smsReplies(book, [{ phone: `+86 ${s.phone}`, text: 'TD', at, sequenceId: id }]) });
    }
    if (s.clickAfter === undefined) continue;
    const clickAt = sentAt + s.clickAfter;
    actions.push({
      at: clickAt,
      run: () => {
        const text = smsOf(s);
        if (!text) throw new Error(`${s.phone} clicks but got no SMS`);
        return tapSmsLink(book, text);
      },
    });
    const after = s.addAfterClick !== undefined ? clickAt + s.addAfterClick : clickAt;
    if (s.addAfterClick !== undefined) {
      // The landing page knows the customer from the tracked link and reports the WeCom add.
      actions.push({
        at: after,
        run: () =>
          book.api.events.ingest({
            id: `landing-add-${s.phone}`,
            type: 'wecom.contactAdded',
            customerId,
            occurredAt: new Date(after),
            data: { userId: 'guwen01', externalUserId: `wmSms${s.phone}`, state: 'SMS-RECALL' },
          }),
      });
    }
    if (s.orderAfter !== undefined) actions.push({ at: after + s.orderAfter, run: order(after + s.orderAfter, 1) });
  }
  await play(book, actions);
  await book.advanceTo(START + 16 * DAY);
}, 60_000);
afterAll(() => book?.close());

describe('短信召回 sms-recall playbook', () => {
  it('imports the CRM export de-duplicated: one customer per number, every order once', () => {
    const orderRows = shoppers.reduce((n, s) => n + s.orders.length, 0);
    expect(importReport).toMatchObject({
      status: 'committed',
      totalRows: orderRows + exported.duplicates + exported.rejected,
      created: CUSTOMERS,
      updated: 0,
      orders: orderRows,
      duplicates: exported.duplicates,
      rejected: exported.rejected,
    });
    expect(exported.duplicates).toBeGreaterThan(100);
    expect(idOf.size).toBe(CUSTOMERS);
  });

  it('the RFM audience is exactly the planned sleeping repeat buyers (segment preview agrees)', () => {
    expect(segmentSize).toBe(audience.length);
    const entered = book.rows<{ customerId: string }>(
      'SELECT customerId FROM Instance WHERE journeyId = ?',
      book.journeyId,
    );
    expect(new Set(entered.map((r) => r.customerId))).toEqual(new Set(audience.map((s) => idOf.get(e164(s)))));
    expect(entered).toHaveLength(audience.length);
  });

  it('holds out 10 % (± 2 points) who receive nothing', () => {
    const held = book.rows<{ customerId: string }>(
      'SELECT customerId FROM Instance WHERE journeyId = ? AND holdout = 1',
      book.journeyId,
    );
    const planned = audience.filter((s) => expected.get(s)?.holdout).map((s) => idOf.get(e164(s)));
    expect(new Set(held.map((h) => h.customerId))).toEqual(new Set(planned));
    expect(Math.abs(held.length / audience.length - 0.1)).toBeLessThan(0.02);
    const messaged = book.rows<{ n: number }>(
      'SELECT count(*) AS n FROM Message WHERE journeyId = ? AND customerId IN (SELECT customerId FROM Instance WHERE holdout = 1)',
      book.journeyId,
    )[0]?.n;
    expect(messaged).toBe(0);
  });

  it('splits copy A / B 50:50 by weight (within 4 σ) and deterministically per customer', () => {
    const steps = book.rows<{ customerId: string; nodeId: string }>(
      `SELECT i.customerId, o.nodeId FROM OutboxEffect o JOIN Instance i ON i.id = o.instanceId
       WHERE o.nodeId IN ('smsA', 'smsB')`,
    );
    const variantOf = new Map(steps.map((s) => [s.customerId, s.nodeId === 'smsA' ? 'copyA' : 'copyB']));
    const treated = audience.filter((s) => !expected.get(s)?.holdout);
    expect(variantOf.size).toBe(treated.length);
    for (const s of treated) expect(variantOf.get(idOf.get(e164(s)) as string)).toBe(expected.get(s)?.variant);
    const a = [...variantOf.values()].filter((v) => v === 'copyA').length;
    // Customer ids come from the import (random UUIDs), so the split differs run to run: a fair
    // 50:50 split lands within 4 σ all but 6 times in 100,000 runs; a biased one does not.
    const sigma = Math.sqrt(treated.length * 0.25);
    expect(Math.abs(a - treated.length / 2)).toBeLessThan(4 * sigma);
  });

  it('quiet hours: copy A waited from 23:10 to 08:00, copy B went at noon; none at night', () => {
    const sms = book.rows<{ nodeId: string; sentAt: number; recipient: string; content: string }>(
      "SELECT nodeId, sentAt, recipient, content FROM Message WHERE journeyId = ? AND channel = 'sms'",
      book.journeyId,
    );
    const sent = audience.filter((s) => !expected.get(s)?.holdout && !expected.get(s)?.capped && !s.optedOutBefore);
    expect(sms).toHaveLength(sent.length);
    expect(tally(sms.map((m) => `${m.nodeId}@${Number(m.sentAt)}`))).toEqual(
      tally(sent.map((s) => (expected.get(s)?.variant === 'copyA' ? `smsA@${MONDAY_8}` : `smsB@${MONDAY_NOON}`))),
    );
    expect(sentInQuietHours(book, 'sms')).toEqual([]);
    for (const m of sms) {
      expect(m.content).toContain('拒收请回复R');
      expect(m.content).toMatch(/\/webhooks\/sms\/link\?c=/);
    }
    expect(messagesTwicePerStep(book)).toEqual([]);
  });

  it('opted-out numbers got no SMS: neither those who opted out before nor after replying TD', () => {
    const optOuts = book.rows<{ address: string }>("SELECT address FROM OptOut WHERE channel = 'sms'");
    const planned = audience.filter(
      (s) => s.optedOutBefore || (!expected.get(s)?.holdout && !expected.get(s)?.capped && s.optOutAfter !== undefined),
    );
    const before = shoppers.filter((s) => s.optedOutBefore);
    expect(new Set(optOuts.map((o) => o.address))).toEqual(new Set([...before, ...planned].map((s) => e164(s))));
    const sentAfterOptOut = book.rows<{ n: number }>(
      `SELECT count(*) AS n FROM Message m JOIN OptOut o ON o.address = m.recipient
       WHERE m.channel = 'sms' AND m.sentAt >= CAST(strftime('%s', o.createdAt) AS INTEGER) * 1000`,
    )[0]?.n;
    expect(sentAfterOptOut).toBe(0);
    const failed = book.rows<{ n: number }>(
      "SELECT count(*) AS n FROM OutboxEffect WHERE nodeId IN ('smsA','smsB') AND status = 'failed' AND lastError LIKE '%opted out%'",
    )[0]?.n;
    expect(failed).toBe(audience.filter((s) => s.optedOutBefore && !expected.get(s)?.holdout).length);
  });

  it('frequency cap across journeys: who got a shipping notice this week gets no campaign SMS', () => {
    const capped = audience.filter((s) => expected.get(s)?.capped && !expected.get(s)?.holdout);
    expect(capped.length).toBeGreaterThan(30);
    const skipped = book.rows<{ customerId: string }>(
      `SELECT i.customerId FROM OutboxEffect o JOIN Instance i ON i.id = o.instanceId
       WHERE i.journeyId = ? AND o.status = 'skipped' AND o.result LIKE '%frequencyCap%'`,
      book.journeyId,
    );
    expect(new Set(skipped.map((r) => r.customerId))).toEqual(new Set(capped.map((s) => idOf.get(e164(s)))));
    expect(skipped).toHaveLength(capped.length);
    // Every number got at most one SMS in the 7 days around the campaign, notices included.
    const perNumber = book.rows<{ recipient: string; n: number }>(
      "SELECT recipient, count(*) AS n FROM Message WHERE channel = 'sms' GROUP BY recipient HAVING n > 1",
    );
    expect(perNumber).toEqual([]);
    const notices = book.rows<{ n: number }>(
      "SELECT count(*) AS n FROM Message WHERE channel = 'sms' AND journeyId <> ?",
      book.journeyId,
    )[0]?.n;
    expect(notices).toBe(shoppers.filter((s) => s.shippedAt !== undefined && !s.optedOutBefore).length);
  });

  it('every run ends where the plan says', () => {
    expect(endStates(book, book.journeyId)).toEqual(tally(audience.map((s) => expected.get(s)?.state as string)));
    const byCustomer = new Map(
      book
        .rows<{ customerId: string; status: string; nodeId: string; exitReason: string | null }>(
          'SELECT customerId, status, nodeId, exitReason FROM Instance',
        )
        .map((r) => [r.customerId, `${r.status}@${r.nodeId}${r.exitReason ? `(${r.exitReason})` : ''}`]),
    );
    for (const s of audience) expect(byCustomer.get(idOf.get(e164(s)) as string), s.phone).toBe(expected.get(s)?.state);
  });

  it('clicks, WeCom adds, welcomes, tags and goals add up', () => {
    const runs = [...expected.values()];
    const clicks = book.rows<{ n: number }>("SELECT count(*) AS n FROM Event WHERE type = 'link.clicked'")[0]?.n;
    expect(clicks).toBe(runs.filter((e) => e.clickedAt !== undefined).length);
    const welcomed = runs.filter(
      (e) => e.state === 'exited@ordered(已下单)' || e.state === 'exited@addedOnly(已加企微未下单)',
    );
    const welcomes = book.rows<{ n: number }>("SELECT count(*) AS n FROM Message WHERE kind = 'welcome'")[0]?.n;
    expect(welcomes).toBe(welcomed.length);
    expect(tagCounts(book, ['短信召回'])).toEqual({ 短信召回: welcomed.length });
    const goals = book.rows<{ n: number }>(
      'SELECT count(*) AS n FROM Instance WHERE journeyId = ? AND goalAt IS NOT NULL',
      book.journeyId,
    )[0]?.n;
    expect(goals).toBe(runs.filter((e) => e.goal).length);
    expect(welcomed.length).toBeGreaterThan(50);
  });
});
