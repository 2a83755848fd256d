// 包裹卡引流 end to end: 2,400 cards shipped in two variants, customers who scan, add WeCom, join
// the group, order (or not), delete the contact; every number checked against the plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  afterQuietHours,
  chinaTime,
  contactAdded,
  contactDeleted,
  DAY,
  endStates,
  groupJoined,
  HOUR,
  MINUTE,
  messagesTwicePerStep,
  orderPlaced,
  type Playbook,
  play,
  playbookRun,
  Rng,
  scaled,
  scanCode,
  sentInQuietHours,
  startPlaybook,
  tagCounts,
  tally,
} from '../simulation/index.ts';

const START = chinaTime(2026, 3, 2); // Monday 00:00 China time: the parcels start arriving
const CARDS_PER_VARIANT = scaled(1200); // an eighth on PostgreSQL (simulation/playbook-run.ts)
const STAFF = ['zhangwei', 'liuyang', 'chenjing']; // the live code spreads contacts over three accounts

/** What one card's recipient will do (decided up front by the seeded generator). */
interface Card {
  variant: 'A' | 'B';
  externalUserId: string;
  scanAt?: number;
  addAt?: number;
  staff: string;
  joinAt?: number;
  orderAt?: number;
  amountCents: number;
  deleteAt?: number;
}

function planCards(seed: number): Card[] {
  const rng = new Rng(seed);
  const cards: Card[] = [];
  for (let i = 0; i < 2 * CARDS_PER_VARIANT; i++) {
    const variant = i < CARDS_PER_VARIANT ? 'A' : 'B';
    // Hook A (no-threshold coupon) pulls harder than hook B (spend 59 save 20).
    const scans = rng.chance(variant === 'A' ? 0.42 : 0.3);
    const card: Card = {
      variant,
      externalUserId: `wmPkg${String(i).padStart(5, '0')}`,
      staff: rng.pick(STAFF),
      amountCents: rng.int(59, 259) * 100,
    };
    if (scans) {
      card.scanAt = START + Math.floor(rng.between(0, 4 * DAY));
      if (rng.chance(0.75)) {
        card.addAt = card.scanAt + rng.int(20, 180) * 1000;
        if (rng.chance(0.55)) card.joinAt = card.addAt + Math.floor(rng.between(5 * MINUTE, 30 * HOUR));
        if (rng.chance(0.38)) card.orderAt = card.addAt + Math.floor(rng.between(2 * HOUR, 9 * DAY));
        if (rng.chance(0.06)) card.deleteAt = card.addAt + Math.floor(rng.between(HOUR, 8 * DAY));
      }
    }
    cards.push(card);
  }
  return cards;
}

/**
 * Where the journey must leave each customer, worked out from the plan and the journey's rules
 * (invite waits 1 day for the join, then 3 days for an order, a reminder deferred out of
 * 21:00–08:00, 4 more days; deleting the contact exits at once; goal = an order within 14 days).
 */
function expectedRun(card: Card) {
  const t0 = card.addAt as number;
  const del = card.deleteAt ?? Number.POSITIVE_INFINITY;
  const order = card.orderAt ?? Number.POSITIVE_INFINITY;
  const joined = card.joinAt !== undefined && card.joinAt < t0 + DAY;
  const waitStart = joined ? (card.joinAt as number) : t0 + DAY;
  let end: { state: string; at: number };
  let reminderAt: number | undefined;
  const deleted = (node: string) => ({ state: `exited@${node}(exitCondition:wecom.contactDeleted)`, at: del });
  if (del < waitStart) end = deleted('invite');
  else if (order > waitStart && order < waitStart + 3 * DAY && order < del)
    end = { state: 'exited@repurchased(已复购)', at: order };
  else if (del < waitStart + 3 * DAY) end = deleted('waitOrder');
  else {
    const due = afterQuietHours(waitStart + 3 * DAY);
    if (del < due) end = deleted('reminder');
    else {
      reminderAt = due;
      if (order > due && order < due + 4 * DAY && order < del) end = { state: 'exited@repurchased(已复购)', at: order };
      else if (del < due + 4 * DAY) end = deleted('waitOrder2');
      else end = { state: 'exited@noOrder(未复购)', at: due + 4 * DAY };
    }
  }
  // Conversion: the goal node on the repurchase path, or an order while the run was elsewhere
  // within the 14-day goal window (an order a wait consumes is counted by the goal node).
  const goal = end.state.includes('已复购') || (order < end.at && order - t0 <= 14 * DAY);
  return { end, reminderAt, deferred: reminderAt !== undefined && reminderAt !== waitStart + 3 * DAY, goal };
}

let book: Playbook;
const cards = planCards(20260302);
const added = cards.filter((c) => c.addAt !== undefined);
const expected = new Map(added.map((c) => [c.externalUserId, expectedRun(c)]));

// The full plan on SQLite; package-card.postgresql.test.ts runs it on PostgreSQL at an eighth.
describe.each([playbookRun().backend])('on %s', (backend) => {
  beforeAll(async () => {
    book = await startPlaybook('package-card', START - HOUR, backend);
    // The card batches: one channel, one live code per variant, shipped counts for the recall rate.
    await book.db.prisma.channel.create({
      data: {
        id: 'ch_package_card',
        name: '2026春季包裹卡',
        kind: 'packageCard',
        codes: {
          create: [
            { code: 'PKG-A', variant: 'A', delivered: CARDS_PER_VARIANT },
            { code: 'PKG-B', variant: 'B', delivered: CARDS_PER_VARIANT },
          ],
        },
      },
    });
    for (const [id, name, amountCents, minimumCents] of [
      ['pkg-hook-a', '包裹卡A 5元无门槛券', 500, 0],
      ['pkg-hook-b', '包裹卡B 满59减20券', 2000, 5900],
    ] as const) {
      await book.api.coupons.createStock({
        id,
        name,
        maxCoupons: CARDS_PER_VARIANT,
        maxPerCustomer: 1,
        amountCents,
        minimumCents,
        validFrom: new Date(START - DAY),
        validTo: new Date(START + 60 * DAY),
      });
    }
    await book.publish();

    const actions: Action[] = [];
    const wecom = (events: Promise<unknown[]> | unknown[]) => async () =>
      book.ingest((await events) as Parameters<Playbook['ingest']>[0], 'webhook:wecom');
    for (const c of cards) {
      const code = `PKG-${c.variant}`;
      if (c.scanAt !== undefined) actions.push({ at: c.scanAt, run: () => scanCode(book, code) });
      if (c.addAt === undefined) continue;
      const who = { externalUserId: c.externalUserId, userId: c.staff };
      actions.push({ at: c.addAt, run: wecom(contactAdded({ ...who, state: code, at: c.addAt })) });
      if (c.joinAt !== undefined) {
        const at = c.joinAt;
        actions.push({
          at,
          run: wecom(
            groupJoined({ externalUserId: c.externalUserId, chatId: 'wrPkgCardFans01', state: 'pkg-card-group', at }),
          ),
        });
      }
      if (c.orderAt !== undefined) {
        const order = orderPlaced({
          orderId: `TB${c.externalUserId}`,
          at: c.orderAt,
          amountCents: c.amountCents,
          // The mini-program shop knows the buyer's WeCom identity.
          identities: { wecomExternalUserId: c.externalUserId },
        });
        actions.push({ at: c.orderAt, run: () => book.api.events.ingest(order) });
      }
      if (c.deleteAt !== undefined)
        actions.push({ at: c.deleteAt, run: wecom(contactDeleted({ ...who, at: c.deleteAt as number })) });
    }
    await play(book, actions);
    await book.advanceTo(START + 16 * DAY);
  }, 180_000); // PostgreSQL on a loaded machine takes a few times SQLite's time
  afterAll(() => book?.close());

  /** Customer id of each planned card holder who added WeCom. */
  async function customerIds(): Promise<Map<string, string>> {
    return new Map(
      (
        await book.rows<{ value: string; customerId: string }>(
          "SELECT value, customerId FROM CustomerIdentity WHERE kind = 'wecomExternalUserId'",
        )
      ).map((r) => [r.value, r.customerId]),
    );
  }

  describe('包裹卡引流 package-card playbook', () => {
    it('plans a realistic mix: most never scan, some scan without adding, some add', async () => {
      const scanned = cards.filter((c) => c.scanAt !== undefined).length;
      expect(added.length).toBeGreaterThan(scaled(600));
      expect(scanned - added.length).toBeGreaterThan(scaled(150));
      expect(cards.length - scanned).toBeGreaterThan(scaled(1400));
    });

    it('ends every run where the plan says, exactly', async () => {
      expect(await endStates(book, book.journeyId)).toEqual(tally([...expected.values()].map((e) => e.end.state)));
      const ids = await customerIds();
      const byCustomer = new Map(
        (
          await book.rows<{ customerId: string; status: string; nodeId: string; exitReason: string }>(
            'SELECT customerId, status, nodeId, exitReason FROM Instance',
          )
        ).map((r) => [r.customerId, `${r.status}@${r.nodeId}(${r.exitReason})`]),
      );
      for (const c of added)
        expect(byCustomer.get(ids.get(c.externalUserId) as string), c.externalUserId).toBe(
          expected.get(c.externalUserId)?.end.state,
        );
    });

    it('channel recall per card variant: scans, customers, recall rate, orders and revenue', async () => {
      const stats = await book.api.reports.channelsFirstTouch({ channelId: 'ch_package_card' });
      const rows = Object.fromEntries(stats.map((s) => [s.variant, s]));
      for (const variant of ['A', 'B'] as const) {
        const mine = cards.filter((c) => c.variant === variant);
        const came = mine.filter((c) => c.addAt !== undefined);
        const orders = came.filter((c) => c.orderAt !== undefined && c.orderAt < START + 16 * DAY);
        expect(rows[variant]).toMatchObject({
          code: `PKG-${variant}`,
          delivered: CARDS_PER_VARIANT,
          scans: mine.filter((c) => c.scanAt !== undefined).length,
          customers: came.length,
          recallRate: came.length / CARDS_PER_VARIANT,
          orders: orders.length,
          revenueCents: orders.reduce((sum, c) => sum + c.amountCents, 0),
        });
      }
      // Hook A (no threshold) recalls more than hook B in this plan.
      expect(rows.A!.recallRate!).toBeGreaterThan(rows.B!.recallRate!);
    });

    it('one welcome per new contact, sent the moment they were added', async () => {
      const welcomes = await book.rows<{ recipient: string; sentAt: number }>(
        "SELECT recipient, sentAt FROM Message WHERE channel = 'wecom' AND kind = 'welcome'",
      );
      expect(welcomes).toHaveLength(added.length);
      const addAt = new Map(added.map((c) => [c.externalUserId, c.addAt as number]));
      for (const w of welcomes) expect(Number(w.sentAt)).toBe(addAt.get(w.recipient));
      expect(await messagesTwicePerStep(book)).toEqual([]);
    });

    it('the hook coupon of the card the customer holds, once each, within the stock', async () => {
      const coupons = await book.rows<{ stockId: string; customerId: string; status: string }>(
        'SELECT stockId, customerId, status FROM Coupon',
      );
      const ids = await customerIds();
      const expectedStock = new Map(
        added.map((c) => [ids.get(c.externalUserId), `pkg-hook-${c.variant.toLowerCase()}`]),
      );
      expect(coupons).toHaveLength(added.length);
      expect(new Set(coupons.map((c) => c.customerId)).size).toBe(added.length);
      for (const c of coupons) {
        expect(c.stockId).toBe(expectedStock.get(c.customerId));
        expect(c.status).toBe('sent');
      }
      const issued = Object.fromEntries(
        (await book.rows<{ id: string; issued: number }>('SELECT id, issued FROM CouponStock')).map((s) => [
          s.id,
          s.issued,
        ]),
      );
      expect(issued).toEqual({
        'pkg-hook-a': added.filter((c) => c.variant === 'A').length,
        'pkg-hook-b': added.filter((c) => c.variant === 'B').length,
      });
    });

    it('tags by source and variant, and 复购 for those who ordered while the journey waited', async () => {
      const repurchased = [...expected.values()].filter((e) => e.end.state.includes('已复购')).length;
      expect(await tagCounts(book, ['包裹卡客户', '渠道:PKG-A', '渠道:PKG-B', '版本:A', '版本:B', '复购'])).toEqual({
        包裹卡客户: added.length,
        '渠道:PKG-A': added.filter((c) => c.variant === 'A').length,
        '渠道:PKG-B': added.filter((c) => c.variant === 'B').length,
        '版本:A': added.filter((c) => c.variant === 'A').length,
        '版本:B': added.filter((c) => c.variant === 'B').length,
        复购: repurchased,
      });
      expect(repurchased).toBeGreaterThan(scaled(100));
    });

    it('reminders only to those who did not order in 3 days, never in quiet hours (deferred to 08:00)', async () => {
      const reminders = await book.rows<{ recipient: string; sentAt: number }>(
        "SELECT recipient, sentAt FROM Message WHERE channel = 'wecom' AND kind = 'mass'",
      );
      const planned = added.filter((c) => expected.get(c.externalUserId)?.reminderAt !== undefined);
      expect(reminders).toHaveLength(planned.length);
      const at = new Map(planned.map((c) => [c.externalUserId, expected.get(c.externalUserId)?.reminderAt]));
      for (const r of reminders) expect(Number(r.sentAt)).toBe(at.get(r.recipient));
      expect(await sentInQuietHours(book, 'wecom')).toEqual([]);
      const deferred = planned.filter((c) => expected.get(c.externalUserId)?.deferred).length;
      expect(deferred).toBeGreaterThan(scaled(50)); // the plan does put due reminders into the night
    });

    it('goal: an order within 14 days of adding while the run was still going', async () => {
      const goals = (await book.rows<{ n: number }>('SELECT count(*) AS n FROM Instance WHERE goalAt IS NOT NULL'))[0]
        ?.n;
      expect(goals).toBe([...expected.values()].filter((e) => e.goal).length);
    });
  });
});
