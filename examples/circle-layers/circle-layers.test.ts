// 圈层跃迁 end to end: 1,500 community members over five weeks. Purchases and shares move them up
// (periphery → influence → core), core members are invited to the invite-only group (some join),
// and the weekly review moves members who were not active that week down a layer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Action,
  chinaTime,
  DAY,
  endStates,
  groupJoined,
  HOUR,
  MINUTE,
  orderPlaced,
  type Playbook,
  play,
  playbookRun,
  Rng,
  scaled,
  startPlaybook,
  tally,
} from '../simulation/index.ts';

const START = chinaTime(2026, 3, 2, 10); // published Monday 10:00: reviews every Monday 10:00
const MEMBERS = scaled(1500); // an eighth on PostgreSQL (simulation/playbook-run.ts)
const WEEKS = 5;
const CORE = '圈层:核心';
const INF = '圈层:影响';
const PER = '圈层:外围';
const ACTIVE = '近期活跃';
const MEMBER = '核心群成员';
const LAYER_TAGS = [CORE, INF, PER, ACTIVE, MEMBER];

interface Member {
  externalUserId: string;
  activity: { at: number; kind: 'purchase' | 'share' }[];
  /** How long after each core-group invite the member joins (undefined: never joins). */
  joinDelay?: number;
}

function planMembers(seed: number): Member[] {
  const rng = new Rng(seed);
  const span = () => START + HOUR + Math.floor(rng.between(0, WEEKS * 7 * DAY - 2 * HOUR));
  return Array.from({ length: MEMBERS }, (_, i) => {
    const kind = rng.unit();
    const purchases = kind < 0.1 ? rng.int(5, 9) : kind < 0.35 ? rng.int(2, 4) : rng.int(0, 1);
    const shares = rng.chance(0.15) ? rng.int(3, 8) : rng.int(0, 1);
    const activity = [
      ...Array.from({ length: purchases }, () => ({ at: span(), kind: 'purchase' as const })),
      ...Array.from({ length: shares }, () => ({ at: span(), kind: 'share' as const })),
    ].sort((a, b) => a.at - b.at);
    const m: Member = { externalUserId: `wmCircle${String(i).padStart(5, '0')}`, activity };
    if (rng.chance(0.6)) m.joinDelay = Math.floor(rng.between(10 * MINUTE, 60 * HOUR));
    return m;
  });
}

interface Outcome {
  runs: string[];
  tags: Set<string>;
  purchases: number;
  shares: number;
  invites: number[];
  joins: number[];
}

/** The journey's rules replayed per member, in time order with the weekly reviews. */
function replay(m: Member, end: number): Outcome {
  const o: Outcome = { runs: [], tags: new Set(), purchases: 0, shares: 0, invites: [], joins: [] };
  let pending: number[] = []; // invites waiting for a join (3 days)
  type Step = { at: number; kind: 'purchase' | 'share' | 'review' | 'join' };
  const steps: Step[] = [...m.activity];
  for (let k = 1; START + k * 7 * DAY <= end; k++) steps.push({ at: START + k * 7 * DAY, kind: 'review' });
  const queue = steps.sort((a, b) => a.at - b.at);
  const expire = (now: number) => {
    const expired = pending.filter((p) => p + 3 * DAY <= now);
    for (let n = 0; n < expired.length; n++) o.runs.push('exited@notJoinedCore(未入核心群)');
    pending = pending.filter((p) => p + 3 * DAY > now);
  };
  for (let i = 0; i < queue.length; i++) {
    const step = queue[i] as Step;
    expire(step.at);
    const t = o.tags;
    if (step.kind === 'join') {
      if (pending.length === 0) continue;
      for (let n = 0; n < pending.length; n++) o.runs.push('exited@promotedCore(晋升核心)');
      pending = [];
      t.add(MEMBER);
      continue;
    }
    if (step.kind === 'review') {
      if (!t.has(CORE) && !t.has(INF)) continue;
      if (t.has(ACTIVE)) {
        t.delete(ACTIVE);
        o.runs.push('exited@kept(活跃保留)');
      } else if (t.has(CORE)) {
        t.add(INF);
        t.delete(CORE);
        t.delete(MEMBER);
        o.runs.push('exited@coreDownExit(核心降级)');
      } else {
        t.add(PER);
        t.delete(INF);
        o.runs.push('exited@influenceDownExit(影响降级)');
      }
      continue;
    }
    if (step.kind === 'purchase') o.purchases++;
    else o.shares++;
    t.add(ACTIVE);
    if (t.has(CORE)) o.runs.push('exited@stayCore(保持核心)');
    else if (t.has(INF) && o.purchases >= 3) {
      t.add(CORE);
      t.delete(INF);
      pending.push(step.at);
      o.invites.push(step.at);
      if (m.joinDelay !== undefined) {
        const join = { at: step.at + m.joinDelay, kind: 'join' as const };
        o.joins.push(join.at);
        const later = queue.findIndex((s, j) => j > i && s.at > join.at);
        queue.splice(later === -1 ? queue.length : later, 0, join);
      }
    } else if (o.purchases >= 2 || o.shares >= 3) {
      t.add(INF);
      t.delete(PER);
      o.runs.push('exited@influence(影响层)');
    } else {
      t.add(PER);
      o.runs.push('exited@peripheryExit(外围层)');
    }
  }
  expire(end);
  for (let n = 0; n < pending.length; n++) o.runs.push('active@inviteCore');
  return o;
}

const END = START + WEEKS * 7 * DAY + 2 * DAY;
const members = planMembers(20260302);
const outcomes = new Map(members.map((m) => [m, replay(m, END)]));
let book: Playbook;

// The full plan on SQLite; circle-layers.postgresql.test.ts runs it on PostgreSQL at an eighth.
describe.each([playbookRun().backend])('on %s', (backend) => {
  beforeAll(async () => {
    book = await startPlaybook('circle-layers', START, backend);
    await book.publish();
    const actions: Action[] = [];
    members.forEach((m, i) => {
      const identities = { wecomExternalUserId: m.externalUserId };
      m.activity.forEach((a, k) => {
        const event =
          a.kind === 'purchase'
            ? orderPlaced({ orderId: `C${i}-${k}`, at: a.at, amountCents: 19_900, identities })
            : // The mini-program reports a member sharing a product page to friends.
              { id: `share-${i}-${k}`, type: 'community.shared', identities, occurredAt: new Date(a.at), data: {} };
        actions.push({ at: a.at, run: () => book.api.events.ingest(event) });
      });
      for (const at of outcomes.get(m)?.joins ?? []) {
        actions.push({
          at,
          run: async () =>
            book.ingest(
              await groupJoined({
                externalUserId: m.externalUserId,
                chatId: 'wrCoreCircle01',
                state: 'core-circle',
                at,
              }),
              'webhook:wecom',
            ),
        });
      }
    });
    await play(book, actions);
    await book.advanceTo(END);
  }, 180_000); // PostgreSQL on a loaded machine takes a few times SQLite's time
  afterAll(() => book?.close());

  const customerIds = async () =>
    new Map(
      (
        await book.rows<{ value: string; customerId: string }>(
          "SELECT value, customerId FROM CustomerIdentity WHERE kind = 'wecomExternalUserId'",
        )
      ).map((r) => [r.value, r.customerId]),
    );

  describe('圈层跃迁 circle-layers playbook', () => {
    it('plans a community with a silent majority, some climbers and a few core members', async () => {
      const final = [...outcomes.values()];
      expect(final.filter((o) => o.tags.has(CORE)).length).toBeGreaterThan(scaled(30));
      expect(final.filter((o) => o.invites.length > 0).length).toBeGreaterThan(scaled(100));
      expect(final.filter((o) => o.runs.includes('exited@coreDownExit(核心降级)')).length).toBeGreaterThan(scaled(10));
    });

    it('every run (activity and weekly review) ends where the replay says', async () => {
      expect(await endStates(book, book.journeyId)).toEqual(tally([...outcomes.values()].flatMap((o) => o.runs)));
      const reviews = await book.rows<{ matched: number; lastRunAt: string }>(
        'SELECT matched, lastRunAt FROM AudienceRun',
      );
      expect(reviews).toHaveLength(1);
      expect(Date.parse(reviews[0]?.lastRunAt as string)).toBe(START + WEEKS * 7 * DAY);
    });

    it('each member ends in the layer the rules put them, with their counts', async () => {
      const ids = await customerIds();
      const tagsOf = new Map<string, Set<string>>();
      for (const r of await book.rows<{ customerId: string; tag: string }>(
        `SELECT customerId, tag FROM CustomerTag WHERE tag IN (${LAYER_TAGS.map(() => '?').join(',')})`,
        ...LAYER_TAGS,
      )) {
        tagsOf.set(r.customerId, (tagsOf.get(r.customerId) ?? new Set()).add(r.tag));
      }
      const attributes = new Map(
        (await book.rows<{ id: string; attributes: string }>('SELECT id, attributes FROM Customer')).map((c) => [
          c.id,
          JSON.parse(c.attributes) as { purchases?: number; shares?: number },
        ]),
      );
      for (const m of members) {
        if (m.activity.length === 0) continue; // never showed up: no customer record at all
        const o = outcomes.get(m) as Outcome;
        const id = ids.get(m.externalUserId) as string;
        expect([...(tagsOf.get(id) ?? [])].sort(), m.externalUserId).toEqual([...o.tags].sort());
        expect(attributes.get(id)?.purchases ?? 0).toBe(o.purchases);
        expect(attributes.get(id)?.shares ?? 0).toBe(o.shares);
      }
      expect(ids.size).toBe(members.filter((m) => m.activity.length > 0).length);
    });

    it('core promotions each created one join code for the invite-only group', async () => {
      // Counted in the step log (one effect row per invite sent), not the outbox: the playbook spans
      // months, and finished outbox rows are pruned after OUTBOX_RETENTION_DAYS (30 by default).
      const invites = (
        await book.rows<{ n: number }>(
          "SELECT count(*) AS n FROM StepLog WHERE nodeId = 'inviteCore' AND kind = 'effect'",
        )
      )[0]?.n;
      expect(invites).toBe([...outcomes.values()].reduce((n, o) => n + o.invites.length, 0));
      const layerSizes = tally([...outcomes.values()].flatMap((o) => [...o.tags].filter((t) => t.startsWith('圈层:'))));
      const actual = tally(
        (await book.rows<{ tag: string }>("SELECT tag FROM CustomerTag WHERE tag LIKE '圈层:%'")).map((r) => r.tag),
      );
      expect(actual).toEqual(layerSizes);
      // The pyramid the articles describe: periphery > influence > core.
      expect(actual[PER]!).toBeGreaterThan(actual[INF]!);
      expect(actual[INF]!).toBeGreaterThan(actual[CORE]!);
    });
  });
});
