// 新客承接 end to end: 3,000 new contacts through four live codes (two store posters, a package
// card, a Douyin ad) over three days; welcome at once, source tags, a group per layer, staff
// follow-up tasks for store customers who did not join, deletions and first orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
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
  startPlaybook,
  tagCounts,
  tally,
} from '../simulation/index.ts';

const START = chinaTime(2026, 3, 2, 9);
const CONTACTS = scaled(3000); // an eighth on PostgreSQL (simulation/playbook-run.ts)

/** Live codes, the staff behind each, and the share of new contacts each brings. */
const CODES = [
  { code: 'STORE-SH01', staff: ['dianzhang_sh'], share: 0.25, layer: 'store' },
  { code: 'STORE-BJ02', staff: ['dianzhang_bj'], share: 0.15, layer: 'store' },
  { code: 'PKG-NEW', staff: ['kefu01', 'kefu02'], share: 0.25, layer: 'buyer' },
  { code: 'AD-DOUYIN', staff: ['kefu01', 'kefu02'], share: 0.35, layer: 'newbie' },
] as const;
type Layer = (typeof CODES)[number]['layer'];
const GROUP: Record<Layer, { chatId: string; state: string; node: string }> = {
  store: { chatId: 'wrStoreVip01', state: 'store-group', node: 'inviteStore' },
  buyer: { chatId: 'wrBuyerClub01', state: 'buyer-group', node: 'inviteBuyer' },
  newbie: { chatId: 'wrNewbie01', state: 'newbie-group', node: 'inviteNewbie' },
};

interface Contact {
  externalUserId: string;
  code: string;
  layer: Layer;
  staff: string;
  addAt: number;
  joinAt?: number;
  staffFollowsUpAfter?: number; // how long after the task appears the staff member acts
  deleteAt?: number;
  orderAt?: number;
}

function planContacts(seed: number): Contact[] {
  const rng = new Rng(seed);
  return Array.from({ length: CONTACTS }, (_, i) => {
    const u = rng.unit();
    let cumulative = 0;
    const source =
      CODES.find((c) => {
        cumulative += c.share;
        return u < cumulative;
      }) ?? CODES[3];
    const addAt = START + Math.floor(rng.between(0, 3 * DAY));
    const c: Contact = {
      externalUserId: `wmNew${String(i).padStart(5, '0')}`,
      code: source.code,
      layer: source.layer,
      staff: rng.pick(source.staff),
      addAt,
    };
    // Store customers were handed a flyer with the group code: they join more often.
    if (rng.chance(source.layer === 'store' ? 0.6 : 0.45))
      c.joinAt = addAt + Math.floor(rng.between(MINUTE, 60 * HOUR));
    if (rng.chance(0.5)) c.staffFollowsUpAfter = Math.floor(rng.between(HOUR, 30 * HOUR)); // some too late
    if (rng.chance(0.05)) c.deleteAt = addAt + Math.floor(rng.between(10 * MINUTE, 4 * DAY));
    if (rng.chance(0.12)) c.orderAt = addAt + Math.floor(rng.between(HOUR, 9 * DAY));
    return c;
  });
}

interface Expected {
  state: string;
  goal: boolean;
  /** A staff task was created (store layer, not joined, still a contact after 2 days). */
  task: boolean;
  /** The staff member marked it done before it expired (even if the customer left meanwhile). */
  taskDone: boolean;
}

/** The journey's rules: join within 2 days; store layer → 1-day staff task; deletion exits. */
function expectedRun(c: Contact): Expected {
  const del = c.deleteAt ?? Number.POSITIVE_INFINITY;
  const deleted = (node: string) => `exited@${node}(exitCondition:wecom.contactDeleted)`;
  const joined = c.joinAt !== undefined && c.joinAt < c.addAt + 2 * DAY && c.joinAt < del;
  let state: string;
  let end: number;
  let task = false;
  let taskDone = false;
  if (joined) [state, end] = ['exited@joined(已入群)', c.joinAt as number];
  else if (del < c.addAt + 2 * DAY) [state, end] = [deleted(GROUP[c.layer].node), del];
  else if (c.layer !== 'store') [state, end] = ['exited@notJoined(未入群)', c.addAt + 2 * DAY];
  else {
    task = true;
    const acted = c.staffFollowsUpAfter !== undefined ? c.addAt + 2 * DAY + c.staffFollowsUpAfter : undefined;
    taskDone = acted !== undefined && acted < c.addAt + 3 * DAY;
    if (taskDone && (acted as number) < del) [state, end] = ['exited@followedUp(店员跟进完成)', acted as number];
    else if (del < c.addAt + 3 * DAY) [state, end] = [deleted('staffFollow'), del];
    else [state, end] = ['exited@notJoined(未入群)', c.addAt + 3 * DAY];
  }
  const ordered = c.orderAt !== undefined && c.orderAt < end && c.orderAt - c.addAt <= 7 * DAY;
  return { state, goal: joined || ordered, task, taskDone };
}

const contacts = planContacts(20260302);
const expected = new Map(contacts.map((c) => [c, expectedRun(c)]));
let book: Playbook;
let idOf: Map<string, string>;

// The full plan on SQLite; new-contact-reception.postgresql.test.ts runs it on PostgreSQL at an eighth.
describe.each([playbookRun().backend])('on %s', (backend) => {
  beforeAll(async () => {
    book = await startPlaybook('new-contact-reception', START - HOUR, backend);
    for (const [id, name, kind, codes] of [
      ['ch_store_posters', '门店海报活码', 'storePoster', ['STORE-SH01', 'STORE-BJ02']],
      ['ch_package_card_new', '新品包裹卡', 'packageCard', ['PKG-NEW']],
      ['ch_douyin_ads', '抖音投放加粉', 'liveCode', ['AD-DOUYIN']],
    ] as const) {
      await book.db.prisma.channel.create({
        data: { id, name, kind, codes: { create: codes.map((code) => ({ code })) } },
      });
    }
    await book.publish();

    const actions: Action[] = [];
    // Customer ids exist once WeCom's first callback created the customer.
    const customerOf = async (externalUserId: string) =>
      (
        await book.rows<{ customerId: string }>(
          "SELECT customerId FROM CustomerIdentity WHERE kind = 'wecomExternalUserId' AND value = ?",
          externalUserId,
        )
      )[0]?.customerId;
    const wecom = (events: Promise<unknown[]> | unknown[]) => async () =>
      book.ingest((await events) as Parameters<Playbook['ingest']>[0], 'webhook:wecom');
    contacts.forEach((c, i) => {
      const who = { externalUserId: c.externalUserId, userId: c.staff };
      actions.push({ at: c.addAt, run: wecom(contactAdded({ ...who, state: c.code, at: c.addAt })) });
      const g = GROUP[c.layer];
      if (c.joinAt !== undefined) {
        const at = c.joinAt;
        actions.push({
          at,
          run: wecom(groupJoined({ externalUserId: c.externalUserId, chatId: g.chatId, state: g.state, at })),
        });
      }
      if (c.deleteAt !== undefined)
        actions.push({ at: c.deleteAt, run: wecom(contactDeleted({ ...who, at: c.deleteAt as number })) });
      if (c.orderAt !== undefined) {
        const order = orderPlaced({
          orderId: `MP${i}`,
          at: c.orderAt,
          amountCents: 9900,
          identities: { wecomExternalUserId: c.externalUserId },
        });
        actions.push({ at: c.orderAt, run: () => book.api.events.ingest(order) });
      }
      if (c.layer === 'store' && c.staffFollowsUpAfter !== undefined) {
        // The staff member opens their task list and marks this customer's task done (if it is there).
        actions.push({
          at: c.addAt + 2 * DAY + c.staffFollowsUpAfter,
          run: async () => {
            const open = await book.api.staffTasks.list({ assignee: c.staff, status: 'open', pageSize: 500 });
            const customerId = await customerOf(c.externalUserId);
            const task = open.tasks.find((t) => t.customerId === customerId);
            if (task) await book.api.staffTasks.complete({ id: task.id });
          },
        });
      }
    });
    await play(book, actions);
    await book.advanceTo(START + 14 * DAY);
    idOf = new Map(
      (
        await book.rows<{ value: string; customerId: string }>(
          "SELECT value, customerId FROM CustomerIdentity WHERE kind = 'wecomExternalUserId'",
        )
      ).map((r) => [r.value, r.customerId]),
    );
  }, 180_000); // PostgreSQL on a loaded machine takes a few times SQLite's time
  afterAll(() => book?.close());

  describe('新客承接 new-contact-reception playbook', () => {
    it('every new contact enters once and ends where the plan says', async () => {
      expect(await endStates(book, book.journeyId)).toEqual(tally([...expected.values()].map((e) => e.state)));
      const byCustomer = new Map(
        (
          await book.rows<{ customerId: string; status: string; nodeId: string; exitReason: string | null }>(
            'SELECT customerId, status, nodeId, exitReason FROM Instance',
          )
        ).map((r) => [r.customerId, `${r.status}@${r.nodeId}(${r.exitReason})`]),
      );
      for (const c of contacts)
        expect(byCustomer.get(idOf.get(c.externalUserId) as string), c.externalUserId).toBe(expected.get(c)?.state);
    });

    it('welcome sent once, within WeCom’s 20-second window of the add', async () => {
      const welcomes = await book.rows<{ recipient: string; sentAt: number }>(
        "SELECT recipient, sentAt FROM Message WHERE kind = 'welcome'",
      );
      expect(welcomes).toHaveLength(CONTACTS);
      const addAt = new Map(contacts.map((c) => [c.externalUserId, c.addAt]));
      for (const w of welcomes) {
        const lag = Number(w.sentAt) - (addAt.get(w.recipient) as number);
        expect(lag).toBeGreaterThanOrEqual(0);
        expect(lag).toBeLessThan(20_000);
      }
      expect(await messagesTwicePerStep(book)).toEqual([]);
    });

    it('tags by source channel (and the WeCom 新客 tag), and owners from the live code’s staff', async () => {
      const tags = await tagCounts(book, ['新客', ...CODES.map((c) => `渠道:${c.code}`)]);
      expect(tags).toEqual({
        新客: CONTACTS,
        ...Object.fromEntries(CODES.map((c) => [`渠道:${c.code}`, contacts.filter((x) => x.code === c.code).length])),
      });
      const owners = await book.rows<{ id: string; ownerUserId: string | null }>(
        'SELECT id, ownerUserId FROM Customer',
      );
      const ownerOf = new Map(owners.map((o) => [o.id, o.ownerUserId]));
      for (const c of contacts) {
        // Deleting the contact releases the owner.
        expect(ownerOf.get(idOf.get(c.externalUserId) as string)).toBe(c.deleteAt !== undefined ? null : c.staff);
      }
    });

    it('each layer is invited to its own group; joins inside 2 days count as the goal', async () => {
      const invites = tally(
        (
          await book.rows<{ nodeId: string }>(
            "SELECT nodeId FROM OutboxEffect WHERE nodeId IN ('inviteStore','inviteBuyer','inviteNewbie')",
          )
        ).map((r) => r.nodeId),
      );
      expect(invites).toEqual(tally(contacts.map((c) => GROUP[c.layer].node)));
      const goals = (await book.rows<{ n: number }>('SELECT count(*) AS n FROM Instance WHERE goalAt IS NOT NULL'))[0]
        ?.n;
      expect(goals).toBe([...expected.values()].filter((e) => e.goal).length);
    });

    it('store customers who did not join get a staff task for their own store manager', async () => {
      const tasks = await book.rows<{ customerId: string; assignee: string; status: string }>(
        'SELECT customerId, assignee, status FROM StaffTask',
      );
      const planned = contacts.filter((c) => expected.get(c)?.task);
      expect(tasks).toHaveLength(planned.length);
      const taskOf = new Map(tasks.map((t) => [t.customerId, t]));
      for (const c of planned) {
        const t = taskOf.get(idOf.get(c.externalUserId) as string);
        expect(t?.assignee).toBe(c.staff);
        expect(t?.status).toBe(expected.get(c)?.taskDone ? 'done' : 'open');
      }
      expect(planned.filter((c) => expected.get(c)?.taskDone).length).toBeGreaterThan(scaled(20));
    });
  });
});
