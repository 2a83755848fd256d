// The 短信召回 playbook's world, planned before it runs: 3,000 shoppers with their orders and
// reactions, the CRM export they come in through (duplicates, bad numbers), the brand's other
// journey (a shipping notice), and what each shopper should live through under the journey's rules.
import {
  chinaTime,
  chinaTimeText,
  DAY,
  HOUR,
  hashToUnit,
  MINUTE,
  pickWeighted,
  Rng,
  scaled,
} from '../simulation/index.ts';
export const START = chinaTime(2026, 3, 1, 23, 10); // Sunday 23:10: the operator publishes late at night
export const MONDAY_8 = chinaTime(2026, 3, 2, 8); // copy A waits out the quiet hours
export const MONDAY_NOON = chinaTime(2026, 3, 2, 12); // copy B's send window opens
export const CUSTOMERS = scaled(3000); // an eighth on PostgreSQL (simulation/playbook-run.ts)

export interface Shopper {
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

export function planShoppers(seed: number): Shopper[] {
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
    // Whole milliseconds, as a real clock reads: PostgreSQL keeps instants in BIGINT columns.
    if (rng.chance(0.03)) s.optOutAfter = Math.floor(rng.between(10 * MINUTE, 20 * HOUR));
    else if (rng.chance(0.15)) {
      s.clickAfter = Math.floor(rng.between(5 * MINUTE, 80 * HOUR)); // a few after the 3-day wait
      if (rng.chance(0.6)) s.addAfterClick = Math.floor(rng.between(MINUTE, 30 * HOUR));
      if (rng.chance(0.45)) s.orderAfter = Math.floor(rng.between(HOUR, 9 * DAY));
    }
    if (rng.chance(0.04)) s.spontaneousOrderAt = START + Math.floor(rng.between(HOUR, 9 * DAY));
    shoppers.push(s);
  }
  return shoppers;
}

/** The shop's order export: one row per order, phones written many ways, some rows twice, some bad. */
export function orderExport(shoppers: Shopper[], rng: Rng): { csv: string; duplicates: number; rejected: number } {
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

/** The brand's other live journey: a notice SMS when an order ships. */
export function shippingNotice() {
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

export interface Expected {
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
export function expectedRun(s: Shopper, customerId: string, journeyId: string): Expected {
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
