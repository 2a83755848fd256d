import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../harness.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
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
      },
    });
    const stats = await h.as('viewer').stats.channels({ channelId: channel.id });
    expect(stats.map((s) => [s.code, s.scans, s.customers, s.recallRate, s.orders, s.revenueCents])).toEqual([
      ['card-a', 0, 3, 0.03, 1, 9900],
      ['card-b', 1, 0, null, 0, 0],
    ]);
  });
});
