// 复购 by product cycle end to end: 1,500 first orders over a week (some for another product);
// 25 days later a coupon from a stock that runs out, an SMS deferred out of the night, redemption
// at the till (or not), a second reminder, opt-outs; redeemers' next order starts the next cycle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  afterQuietHours,
  chinaTime,
  DAY,
  endStates,
  HOUR,
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
} from '../simulation/index.ts';

const START = chinaTime(2026, 3, 2);
const BUYERS = scaled(1500); // an eighth on PostgreSQL (simulation/playbook-run.ts)
const BUDGET = scaled(1100); // coupons in the stock: fewer than customers who will reach the reminder

interface Buyer {
  phone: string;
  category: '洁面' | '面霜';
  orderAt: number;
  optOutAfterOrder?: number; // replies TD to some other SMS during the cycle
  optOutAfterRemind?: number;
  redeemAfterRemind1?: number;
  redeemAfterRemind2?: number;
}

function planBuyers(seed: number): Buyer[] {
  const rng = new Rng(seed);
  return Array.from({ length: BUYERS }, (_, i) => {
    const b: Buyer = {
      phone: `137${String(20_000_000 + i * 13).padStart(8, '0')}`,
      category: rng.chance(0.9) ? '洁面' : '面霜',
      orderAt: START + Math.floor(rng.between(0, 7 * DAY)),
    };
    // One draw decides the customer's fate: 3 % opt out during the cycle, 3 % after the reminder,
    // 30 % redeem after the first reminder, 14 % after the second, the rest never.
    const fate = rng.unit();
    // Whole milliseconds, as a real clock reads: PostgreSQL keeps instants in BIGINT columns.
    if (fate < 0.03) b.optOutAfterOrder = Math.floor(rng.between(DAY, 20 * DAY));
    else if (fate < 0.06) b.optOutAfterRemind = Math.floor(rng.between(HOUR, 6 * DAY));
    else if (fate < 0.36) b.redeemAfterRemind1 = Math.floor(rng.between(HOUR, 6.9 * DAY));
    else if (fate < 0.5) b.redeemAfterRemind2 = Math.floor(rng.between(HOUR, 2.9 * DAY));
    return b;
  });
}

const buyers = planBuyers(20260325);
const entrants = buyers.filter((b) => b.category === '洁面');
const e164 = (b: Buyer) => `+86${b.phone}`;

interface Expected {
  state: string;
  coupon: boolean;
  remind1?: number;
  remind2?: number;
  redeemAt?: number;
  optOutAt?: number;
}

/** The journey's rules on the plan: 25-day wait, budget in cycle-end order, quiet hours, 7 + 3 days. */
function expectations(): Map<Buyer, Expected> {
  const out = new Map<Buyer, Expected>();
  const reaching = entrants.filter((b) => b.optOutAfterOrder === undefined).sort((a, b) => a.orderAt - b.orderAt);
  const holders = new Set(reaching.slice(0, BUDGET));
  for (const b of entrants) {
    if (b.optOutAfterOrder !== undefined) {
      out.set(b, {
        state: 'exited@cycle(exitCondition:sms.optedOut)',
        coupon: false,
        optOutAt: b.orderAt + b.optOutAfterOrder,
      });
      continue;
    }
    if (!holders.has(b)) {
      out.set(b, { state: 'exited@noCoupon(券已发完)', coupon: false });
      continue;
    }
    const remind1 = afterQuietHours(b.orderAt + 25 * DAY);
    if (b.optOutAfterRemind !== undefined) {
      const optOutAt = remind1 + b.optOutAfterRemind;
      out.set(b, { state: 'exited@waitRedeem(exitCondition:sms.optedOut)', coupon: true, remind1, optOutAt });
    } else if (b.redeemAfterRemind1 !== undefined) {
      out.set(b, {
        state: 'exited@repurchased(已复购)',
        coupon: true,
        remind1,
        redeemAt: remind1 + b.redeemAfterRemind1,
      });
    } else {
      const remind2 = afterQuietHours(remind1 + 7 * DAY);
      if (b.redeemAfterRemind2 !== undefined) {
        const redeemAt = remind2 + b.redeemAfterRemind2;
        out.set(b, { state: 'exited@repurchased(已复购)', coupon: true, remind1, remind2, redeemAt });
      } else out.set(b, { state: 'exited@noRepurchase(未复购)', coupon: true, remind1, remind2 });
    }
  }
  return out;
}
const expected = expectations();
const redeemers = entrants.filter((b) => expected.get(b)?.redeemAt !== undefined);

let book: Playbook;
/** Phone (E.164) → customer id, read once the play is over. */
let idOfPhone = new Map<string, string>();
const customerOf = (b: Buyer) => idOfPhone.get(e164(b)) as string;

// The full plan on SQLite; repurchase-cycle.postgresql.test.ts runs it on PostgreSQL at an eighth.
describe.each([playbookRun().backend])('on %s', (backend) => {
  beforeAll(async () => {
    book = await startPlaybook('repurchase-cycle', START - HOUR, backend);
    await book.api.coupons.createStock({
      id: 'repurchase-cleanser',
      name: '洁面复购8折券',
      maxCoupons: BUDGET,
      maxPerCustomer: 1,
      amountCents: 1600,
      minimumCents: 7900,
      validFrom: new Date(START),
      validTo: new Date(START + 90 * DAY),
    });
    await book.publish();

    const actions: Action[] = [];
    const order = (b: Buyer, id: string, at: number) => () =>
      book.api.events.ingest(
        orderPlaced({
          orderId: id,
          at,
          amountCents: 7900,
          identities: { phone: e164(b) },
          data: { category: b.category },
        }),
      );
    buyers.forEach((b, i) => {
      actions.push({ at: b.orderAt, run: order(b, `JD${i}`, b.orderAt) });
      const e = expected.get(b);
      if (e?.optOutAt !== undefined) {
        const at = e.optOutAt;
        actions.push({
          at,
          run: () => smsReplies(book, [{ phone: b.phone, text: i % 2 ? 'TD' : 't', at, sequenceId: `td${i}` }]),
        });
      }
      if (e?.redeemAt !== undefined) {
        const at = e.redeemAt;
        // At the till: the customer shows the coupon from their account, the till reports it used…
        actions.push({
          at,
          run: async () => {
            const coupon = (
              await book.rows<{ id: string }>(
                `SELECT c.id FROM Coupon c JOIN CustomerIdentity i ON i.customerId = c.customerId
                 WHERE i.kind = 'phone' AND i.value = ? AND c.status = 'sent'`,
                e164(b),
              )
            )[0];
            if (!coupon) throw new Error(`${b.phone} has no coupon to redeem`);
            await book.api.coupons.redeem({ couponId: coupon.id, orderId: `POS${i}` });
          },
        });
        // …and the order reaches the shop feed a few minutes later: the next cycle starts.
        actions.push({ at: at + 5 * 60_000, run: order(b, `POS${i}`, at + 5 * 60_000) });
      }
    });
    await play(book, actions);
    await book.advanceTo(START + 46 * DAY);
    idOfPhone = new Map(
      (
        await book.rows<{ value: string; customerId: string }>(
          "SELECT value, customerId FROM CustomerIdentity WHERE kind = 'phone'",
        )
      ).map((r) => [r.value, r.customerId]),
    );
  }, 180_000); // PostgreSQL on a loaded machine takes a few times SQLite's minute
  afterAll(() => book?.close());

  describe('复购 repurchase-cycle playbook', () => {
    it('every first run ends where the plan says; redeemers are back in a new cycle', async () => {
      const states = [...expected.values()].map((e) => e.state);
      for (let i = 0; i < redeemers.length; i++) states.push('active@cycle');
      expect(await endStates(book, book.journeyId)).toEqual(tally(states));
      const runs = tally(
        (await book.rows<{ customerId: string }>('SELECT customerId FROM Instance')).map((r) => r.customerId),
      );
      for (const b of entrants) expect(runs[customerOf(b)], b.phone).toBe(expected.get(b)?.redeemAt ? 2 : 1);
      // The other product's buyers never entered.
      for (const b of buyers.filter((x) => x.category === '面霜')) expect(runs[customerOf(b)]).toBeUndefined();
    });

    it(`the coupon budget holds: the first ${BUDGET} to reach the reminder get one, the rest exit`, async () => {
      const stock = (await book.api.coupons.stocks()).find((s) => s.id === 'repurchase-cleanser');
      expect(stock).toMatchObject({ issued: BUDGET, status: 'exhausted' });
      const coupons = await book.rows<{ customerId: string; status: string }>('SELECT customerId, status FROM Coupon');
      expect(coupons).toHaveLength(BUDGET);
      expect(new Set(coupons.map((c) => c.customerId)).size).toBe(BUDGET);
      const holders = new Set(entrants.filter((b) => expected.get(b)?.coupon).map(customerOf));
      expect(new Set(coupons.map((c) => c.customerId))).toEqual(holders);
      expect(tally(coupons.map((c) => c.status))).toEqual({ used: redeemers.length, sent: BUDGET - redeemers.length });
    });

    it('reminders at the planned instants, the night ones deferred to 08:00, none twice', async () => {
      const sms = await book.rows<{ recipient: string; nodeId: string; sentAt: number }>(
        "SELECT recipient, nodeId, sentAt FROM Message WHERE channel = 'sms'",
      );
      const plannedSms: string[] = [];
      for (const b of entrants) {
        const e = expected.get(b) as Expected;
        if (e.remind1 !== undefined) plannedSms.push(`${e164(b)} remind1 ${e.remind1}`);
        if (e.remind2 !== undefined) plannedSms.push(`${e164(b)} remind2 ${e.remind2}`);
      }
      expect(tally(sms.map((m) => `${m.recipient} ${m.nodeId} ${Number(m.sentAt)}`))).toEqual(tally(plannedSms));
      expect(await sentInQuietHours(book, 'sms')).toEqual([]);
      const deferred = entrants.filter((b) => {
        const r1 = expected.get(b)?.remind1;
        return r1 !== undefined && r1 !== b.orderAt + 25 * DAY;
      });
      expect(deferred.length).toBeGreaterThan(scaled(300)); // 21:00–08:00 is almost half the day
      expect(await messagesTwicePerStep(book)).toEqual([]);
    });

    it('opted-out numbers get no SMS after replying', async () => {
      const late = await smsAfterOptOut(book);
      expect(late).toBe(0);
      const optedOut = await book.rows<{ address: string }>("SELECT address FROM OptOut WHERE channel = 'sms'");
      expect(new Set(optedOut.map((o) => o.address))).toEqual(
        new Set(entrants.filter((b) => expected.get(b)?.optOutAt !== undefined).map(e164)),
      );
    });

    it('复购VIP tags and goal conversions are the redeemers', async () => {
      expect(await tagCounts(book, ['复购VIP'])).toEqual({ 复购VIP: redeemers.length });
      const goals = await book.rows<{ customerId: string }>('SELECT customerId FROM Instance WHERE goalAt IS NOT NULL');
      expect(new Set(goals.map((g) => g.customerId))).toEqual(new Set(redeemers.map(customerOf)));
      expect(goals).toHaveLength(redeemers.length);
      const byWindow = tally(redeemers.map((b) => (expected.get(b)?.remind2 === undefined ? 'first' : 'second')));
      expect(byWindow.first).toBeGreaterThan(byWindow.second ?? 0);
    });
  });
});
