import { formatPath } from '@siyu/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { AppDatabase } from '../../db/app-database.ts';
import { createHarness, type Harness, type HarnessBackend } from '../harness.test-helper.ts';

let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(async () => {
  await h.close();
});

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
  });

  describe('channels router', () => {
    it('creates entry codes with variants and printable QR codes', async () => {
      const op = h.as('operator');
      const channel = await op.channels.create({
        name: '双11 包裹卡',
        kind: 'packageCard',
        codes: [
          { code: 'card-a', variant: 'A', targetUrl: 'https://example.com/a', delivered: 500 },
          { variant: 'B', targetUrl: 'https://example.com/b' },
        ],
      });
      expect(channel.codes).toHaveLength(2);
      const generated = channel.codes.find((c) => c.variant === 'B');
      expect(generated?.code).toMatch(/^[A-Za-z0-9]{8}$/);
      await op.channels.addCode({ channelId: channel.id, variant: 'C' });
      const loaded = await h.as('viewer').channels.get({ id: channel.id });
      expect(loaded.codes.find((c) => c.code === 'card-a')?.trackedUrl).toBe('http://localhost:3000/r/card-a');
      const qr = await h.as('viewer').channels.qrCodes({ channelId: channel.id });
      expect(qr).toHaveLength(3);
      expect(qr[0]?.image).toContain('<svg');
      const png = await h.as('viewer').channels.qrCodes({ channelId: channel.id, format: 'png' });
      expect(png[0]?.image).toMatch(/^data:image\/png;base64,/);
      await expect(op.channels.addCode({ channelId: channel.id, code: 'has space' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      await expect(op.channels.addCode({ channelId: channel.id, code: 'card-a' })).rejects.toThrow();
      await expect(h.as('viewer').channels.create({ name: 'x', kind: 'smsLink' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });

    it('answers a taken or repeated code as a field issue, not a database error', async () => {
      const op = h.as('operator');
      const channel = await op.channels.create({
        name: '短信',
        kind: 'smsLink',
        codes: [{ code: 'sms-a', variant: 'A' }],
      });
      // The ZodError cause is what the HTTP error formatter turns into `data.issues` (path + message).
      const issues = (error: unknown) =>
        (error as { cause?: { issues?: Array<{ path: PropertyKey[]; message: string }> } }).cause?.issues?.map((i) => ({
          path: formatPath(i.path),
          message: i.message,
        }));
      const repeated = await op.channels
        .create({ name: 'x', kind: 'packageCard', codes: [{ code: 'new-1' }, { code: 'new-1', variant: 'B' }] })
        .catch((e: unknown) => e);
      expect(repeated).toMatchObject({ code: 'BAD_REQUEST' });
      // The HTTP error formatter adds `data.issues` only for a ZodError cause.
      expect((repeated as Error).cause).toBeInstanceOf(ZodError);
      expect(issues(repeated)).toEqual([{ path: 'codes[1].code', message: expect.stringContaining('new-1') }]);
      const taken = await op.channels
        .create({ name: 'x', kind: 'packageCard', codes: [{ variant: 'A' }, { code: 'sms-a', variant: 'B' }] })
        .catch((e: unknown) => e);
      expect(issues(taken)).toEqual([{ path: 'codes[1].code', message: expect.stringContaining('sms-a') }]);
      const added = await op.channels.addCode({ channelId: channel.id, code: 'sms-a' }).catch((e: unknown) => e);
      expect(issues(added)).toEqual([{ path: 'code', message: expect.stringContaining('sms-a') }]);
      // Nothing was written by the refused calls.
      expect(await h.db.prisma.channel.count()).toBe(1);
    });

    it('lists archived channels only when asked, codes in variant order', async () => {
      const op = h.as('operator');
      const kept = await op.channels.create({
        name: '门店海报',
        kind: 'storePoster',
        codes: [
          { code: 'poster-b', variant: 'B' },
          { code: 'poster-a', variant: 'A' },
        ],
      });
      const gone = await op.channels.create({ name: '旧包裹卡', kind: 'packageCard' });
      await op.channels.archive({ id: gone.id });
      const viewer = h.as('viewer');
      expect((await viewer.channels.list()).map((c) => c.id)).toEqual([kept.id]);
      const all = await viewer.channels.list({ includeArchived: true });
      expect(all.map((c) => [c.id, c.archivedAt !== null])).toEqual([
        [gone.id, true],
        [kept.id, false],
      ]);
      expect(all.find((c) => c.id === kept.id)?.codes.map((c) => c.variant)).toEqual(['A', 'B']);
      expect((await viewer.channels.qrCodes({ channelId: kept.id })).map((q) => q.variant)).toEqual(['A', 'B']);
      await op.channels.setDelivered({ code: 'poster-a', delivered: 300 });
      expect((await viewer.channels.get({ id: kept.id })).codes.map((c) => c.delivered)).toEqual([300, 0]);
    });

    it('reports recall per code and variant', async () => {
      const op = h.as('operator');
      const channel = await op.channels.create({
        name: '包裹卡',
        kind: 'packageCard',
        codes: [
          { code: 'card-a', variant: 'A', delivered: 100 },
          { code: 'card-b', variant: 'B', delivered: 0 },
        ],
      });
      for (let i = 0; i < 3; i++) {
        await h.db.prisma.customer.create({ data: { id: `c${i}`, channelCode: 'card-a', variant: 'A' } });
      }
      await h.db.prisma.order.create({
        data: { id: 'o1', customerId: 'c0', amountCents: 9900, placedAt: new Date(), channelCode: 'card-a' },
      });
      await h.db.prisma.event.create({
        data: {
          externalId: 's1',
          type: 'qr.scanned',
          occurredAt: 1n,
          receivedAt: 1n,
          data: JSON.stringify({ code: 'card-b' }),
          entryCode: 'card-b',
        },
      });
      const stats = await h.as('viewer').reports.channelsFirstTouch({ channelId: channel.id });
      expect(stats.map((s) => [s.code, s.scans, s.customers, s.recallRate, s.orders, s.revenueCents])).toEqual([
        ['card-a', 0, 3, 0.03, 1, 9900],
        ['card-b', 1, 0, null, 0, 0],
      ]);
    });
  });
});
