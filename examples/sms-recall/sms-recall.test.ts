// 短信召回 end to end: a CRM order export with repeated customers, duplicate rows and bad numbers
// goes through the real import; the RFM audience (≥ 2 orders, 60 days quiet) is enrolled when the
// operator publishes on a Sunday night; 10 % are held out; an A/B split of copy and send time;
// customers who had opted out before, who reply TD, who tap the link, add WeCom and order, and
// customers a shipping notice from another journey already reached this week (frequency cap).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  DAY,
  endStates,
  messagesTwicePerStep,
  orderPlaced,
  type Playbook,
  play,
  playbookRun,
  Rng,
  scaled,
  sentInQuietHours,
  smsAfterOptOut,
  smsReplies,
  startPlaybook,
  tagCounts,
  tally,
  tapSmsLink,
} from '../simulation/index.ts';
import {
  CUSTOMERS,
  type Expected,
  expectedRun,
  MONDAY_8,
  MONDAY_NOON,
  orderExport,
  planShoppers,
  type Shopper,
  START,
  shippingNotice,
} from './sms-recall-plan.ts';

const shoppers = planShoppers(20260301);
const exported = orderExport(shoppers, new Rng(7));
const e164 = (s: Shopper) => `+86${s.phone}`;
const lastOrder = (s: Shopper) => Math.max(...s.orders.map((o) => o.at));
const inAudience = (s: Shopper) => s.orders.length >= 2 && Math.floor((START - lastOrder(s)) / DAY) >= 60;
const audience = shoppers.filter(inAudience);

let book: Playbook;
let idOf: Map<string, string>; // E.164 phone → customer id
let importReport: Awaited<ReturnType<Playbook['api']['audiences']['import']>>;
let segmentSize = 0;

let expected: Map<Shopper, Expected>;

// The full plan on SQLite; sms-recall.postgresql.test.ts runs it on PostgreSQL at an eighth.
describe.each([playbookRun().backend])('on %s', (backend) => {
  beforeAll(async () => {
    // The book opens five days early: earlier opt-outs and this week's shipping notices happen first.
    book = await startPlaybook('sms-recall', START - 5 * DAY, backend);
    importReport = await book.api.audiences.import({
      fileName: '店铺订单导出_2025.csv',
      contentBase64: Buffer.from(exported.csv, 'utf8').toString('base64'),
      mode: 'skipInvalid',
      tags: ['CRM导入'],
    });
    idOf = new Map(
      (
        await book.rows<{ value: string; customerId: string }>(
          "SELECT value, customerId FROM CustomerIdentity WHERE kind = 'phone'",
        )
      ).map((r) => [r.value, r.customerId]),
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
    const smsOf = async (s: Shopper) =>
      (
        await book.rows<{ content: string }>(
          "SELECT content FROM Message WHERE channel = 'sms' AND recipient = ? AND nodeId IN ('smsA', 'smsB')",
          e164(s),
        )
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
        actions.push({
          at,
          run: () => smsReplies(book, [{ phone: `+86 ${s.phone}`, text: 'TD', at, sequenceId: id }]),
        });
      }
      if (s.clickAfter === undefined) continue;
      const clickAt = sentAt + s.clickAfter;
      actions.push({
        at: clickAt,
        run: async () => {
          const text = await smsOf(s);
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
  }, 180_000); // PostgreSQL on a loaded machine takes a few times SQLite's minute
  afterAll(() => book?.close());

  describe('短信召回 sms-recall playbook', () => {
    it('imports the CRM export de-duplicated: one customer per number, every order once', async () => {
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
      expect(exported.duplicates).toBeGreaterThan(scaled(100));
      expect(idOf.size).toBe(CUSTOMERS);
    });

    it('the RFM audience is exactly the planned sleeping repeat buyers (segment preview agrees)', async () => {
      expect(segmentSize).toBe(audience.length);
      const entered = await book.rows<{ customerId: string }>(
        'SELECT customerId FROM Instance WHERE journeyId = ?',
        book.journeyId,
      );
      expect(new Set(entered.map((r) => r.customerId))).toEqual(new Set(audience.map((s) => idOf.get(e164(s)))));
      expect(entered).toHaveLength(audience.length);
    });

    it('holds out 10 % (within 4 σ) who receive nothing', async () => {
      const held = await book.rows<{ customerId: string }>(
        'SELECT customerId FROM Instance WHERE journeyId = ? AND holdout = TRUE',
        book.journeyId,
      );
      const planned = audience.filter((s) => expected.get(s)?.holdout).map((s) => idOf.get(e164(s)));
      expect(new Set(held.map((h) => h.customerId))).toEqual(new Set(planned));
      // Ids are random UUIDs (the import's): within 4 σ of 10 % all but 6 times in 100,000 runs.
      expect(Math.abs(held.length - audience.length * 0.1)).toBeLessThan(4 * Math.sqrt(audience.length * 0.1 * 0.9));
      const messaged = (
        await book.rows<{ n: number }>(
          'SELECT count(*) AS n FROM Message WHERE journeyId = ? AND customerId IN (SELECT customerId FROM Instance WHERE holdout = TRUE)',
          book.journeyId,
        )
      )[0]?.n;
      expect(messaged).toBe(0);
    });

    it('splits copy A / B 50:50 by weight (within 4 σ) and deterministically per customer', async () => {
      const steps = await book.rows<{ customerId: string; nodeId: string }>(
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

    it('quiet hours: copy A waited from 23:10 to 08:00, copy B went at noon; none at night', async () => {
      const sms = await book.rows<{ nodeId: string; sentAt: number; recipient: string; content: string }>(
        "SELECT nodeId, sentAt, recipient, content FROM Message WHERE journeyId = ? AND channel = 'sms'",
        book.journeyId,
      );
      const sent = audience.filter((s) => !expected.get(s)?.holdout && !expected.get(s)?.capped && !s.optedOutBefore);
      expect(sms).toHaveLength(sent.length);
      expect(tally(sms.map((m) => `${m.nodeId}@${Number(m.sentAt)}`))).toEqual(
        tally(sent.map((s) => (expected.get(s)?.variant === 'copyA' ? `smsA@${MONDAY_8}` : `smsB@${MONDAY_NOON}`))),
      );
      expect(await sentInQuietHours(book, 'sms')).toEqual([]);
      for (const m of sms) {
        expect(m.content).toContain('拒收请回复R');
        expect(m.content).toMatch(/\/webhooks\/sms\/link\?c=/);
      }
      expect(await messagesTwicePerStep(book)).toEqual([]);
    });

    it('opted-out numbers got no SMS: neither those who opted out before nor after replying TD', async () => {
      const optOuts = await book.rows<{ address: string }>("SELECT address FROM OptOut WHERE channel = 'sms'");
      const planned = audience.filter(
        (s) =>
          s.optedOutBefore || (!expected.get(s)?.holdout && !expected.get(s)?.capped && s.optOutAfter !== undefined),
      );
      const before = shoppers.filter((s) => s.optedOutBefore);
      expect(new Set(optOuts.map((o) => o.address))).toEqual(new Set([...before, ...planned].map((s) => e164(s))));
      const sentAfterOptOut = await smsAfterOptOut(book);
      expect(sentAfterOptOut).toBe(0);
      const failed = (
        await book.rows<{ n: number }>(
          "SELECT count(*) AS n FROM OutboxEffect WHERE nodeId IN ('smsA','smsB') AND status = 'failed' AND lastError LIKE '%opted out%'",
        )
      )[0]?.n;
      expect(failed).toBe(audience.filter((s) => s.optedOutBefore && !expected.get(s)?.holdout).length);
    });

    it('frequency cap across journeys: who got a shipping notice this week gets no campaign SMS', async () => {
      const capped = audience.filter((s) => expected.get(s)?.capped && !expected.get(s)?.holdout);
      expect(capped.length).toBeGreaterThan(scaled(30));
      const skipped = await book.rows<{ customerId: string }>(
        `SELECT i.customerId FROM OutboxEffect o JOIN Instance i ON i.id = o.instanceId
         WHERE i.journeyId = ? AND o.status = 'skipped' AND o.result LIKE '%frequencyCap%'`,
        book.journeyId,
      );
      expect(new Set(skipped.map((r) => r.customerId))).toEqual(new Set(capped.map((s) => idOf.get(e164(s)))));
      expect(skipped).toHaveLength(capped.length);
      // Every number got at most one SMS in the 7 days around the campaign, notices included.
      const perNumber = await book.rows<{ recipient: string; n: number }>(
        "SELECT recipient, count(*) AS n FROM Message WHERE channel = 'sms' GROUP BY recipient HAVING count(*) > 1",
      );
      expect(perNumber).toEqual([]);
      const notices = (
        await book.rows<{ n: number }>(
          "SELECT count(*) AS n FROM Message WHERE channel = 'sms' AND journeyId <> ?",
          book.journeyId,
        )
      )[0]?.n;
      expect(notices).toBe(shoppers.filter((s) => s.shippedAt !== undefined && !s.optedOutBefore).length);
    });

    it('every run ends where the plan says', async () => {
      expect(await endStates(book, book.journeyId)).toEqual(
        tally(audience.map((s) => expected.get(s)?.state as string)),
      );
      const byCustomer = new Map(
        // This journey's runs only: a capped customer also has a run of the shipping notice, and
        // PostgreSQL returns rows in no fixed order (an updated row moves in its table).
        (
          await book.rows<{ customerId: string; status: string; nodeId: string; exitReason: string | null }>(
            'SELECT customerId, status, nodeId, exitReason FROM Instance WHERE journeyId = ?',
            book.journeyId,
          )
        ).map((r) => [r.customerId, `${r.status}@${r.nodeId}${r.exitReason ? `(${r.exitReason})` : ''}`]),
      );
      for (const s of audience)
        expect(byCustomer.get(idOf.get(e164(s)) as string), s.phone).toBe(expected.get(s)?.state);
    });

    it('clicks, WeCom adds, welcomes, tags and goals add up', async () => {
      const runs = [...expected.values()];
      const clicks = (await book.rows<{ n: number }>("SELECT count(*) AS n FROM Event WHERE type = 'link.clicked'"))[0]
        ?.n;
      expect(clicks).toBe(runs.filter((e) => e.clickedAt !== undefined).length);
      const welcomed = runs.filter(
        (e) => e.state === 'exited@ordered(已下单)' || e.state === 'exited@addedOnly(已加企微未下单)',
      );
      const welcomes = (await book.rows<{ n: number }>("SELECT count(*) AS n FROM Message WHERE kind = 'welcome'"))[0]
        ?.n;
      expect(welcomes).toBe(welcomed.length);
      expect(await tagCounts(book, ['短信召回'])).toEqual({ 短信召回: welcomed.length });
      const goals = (
        await book.rows<{ n: number }>(
          'SELECT count(*) AS n FROM Instance WHERE journeyId = ? AND goalAt IS NOT NULL',
          book.journeyId,
        )
      )[0]?.n;
      expect(goals).toBe(runs.filter((e) => e.goal).length);
      expect(welcomed.length).toBeGreaterThan(scaled(50));
    });
  });
});
