import { TRPCError } from '@trpc/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCustomers } from '../import/import-customers.ts';
import { createHarness, type Harness } from '../trpc/harness.test-helper.ts';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

const customers = () => (h.db.sqlite.prepare('SELECT count(*) AS n FROM Customer').get() as { n: number }).n;

describe('one person, one customer, whatever way the phone was written', () => {
  it('events.ingest with 13711112222, +8613711112222 and 137 1111 2222 makes one customer with the E.164 phone', async () => {
    const api = h.as('operator');
    const ids = new Set<string | undefined>();
    for (const [i, phone] of ['13711112222', '+8613711112222', '137 1111 2222'].entries()) {
      const outcome = await api.events.ingest({
        id: `order-${i}`,
        type: 'order.placed',
        identities: { phone },
        occurredAt: new Date(h.clock.now()),
        data: { orderId: `o${i}`, amount: 10 },
      });
      expect(outcome.status).toBe('accepted');
      ids.add(outcome.customerId);
    }
    expect(ids.size).toBe(1);
    expect(customers()).toBe(1);
    expect(h.db.sqlite.prepare("SELECT value FROM CustomerIdentity WHERE kind = 'phone'").all()).toEqual([
      { value: '+8613711112222' },
    ]);

    // What the SMS reply webhook ingests (+86…) reaches the customer ingested as 13711112222.
    const reply = await h.engine.ingestEvent(
      {
        id: 'sms.replied:aliyun:1',
        type: 'sms.replied',
        identities: { phone: '+8613711112222' },
        occurredAt: new Date(h.clock.now()),
        data: { text: '好的' },
      },
      'webhook:sms',
    );
    expect(ids.has(reply.customerId)).toBe(true);

    // So does an import of the same number, and a search typed either way.
    const imported = await importCustomers(h.db, new TextEncoder().encode('phone,name\n137-1111-2222,王芳\n'), {
      fileName: 'a.csv',
      mode: 'strict',
    });
    expect(imported).toMatchObject({ created: 0, updated: 1 });
    for (const text of ['137 1111 2222', '13711112222', '1111 2222', '+86 137 1111 2222']) {
      const found = await h.as('viewer').customers.search({ text });
      expect(found.items.map((c) => c.id)).toEqual([...ids]);
      expect(found.items[0]?.phone).toBe('+8613711112222');
    }
    expect(customers()).toBe(1);
  });

  it('refuses a phone that is not a number, naming the field and why', async () => {
    const error = await h
      .as('operator')
      .events.ingest({
        id: 'bad',
        type: 'order.placed',
        identities: { phone: '12812345678' },
        occurredAt: new Date(),
        data: {},
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect((error as TRPCError).message).toMatch(/identities.*phone|mainland China mobile/);
    // The engine's own entry (webhooks, batches) says the same.
    const outcome = await h.engine.ingestEvent({
      id: 'bad2',
      type: 'order.placed',
      identities: { phone: 'call me' },
      occurredAt: new Date(),
    });
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect(outcome.status === 'rejected' && outcome.reason).toMatch(/identities\.phone: .*mainland China mobile/);
    expect(customers()).toBe(0);
  });

  it('an event naming identities of two customers joins them into the older one', async () => {
    const api = h.as('operator');
    const event = (id: string, identities: Record<string, string>) =>
      api.events.ingest({ id, type: 'order.placed', identities, occurredAt: new Date(h.clock.now()), data: {} });
    const a = await event('a', { externalId: 'crm-1' });
    h.clock.advance(1000);
    const b = await event('b', { phone: '13711112222' });
    h.clock.advance(1000);
    const both = await event('c', { phone: '137 1111 2222', externalId: 'crm-1' });
    expect(both.customerId).toBe(a.customerId);
    expect(customers()).toBe(1);
    expect(h.db.sqlite.prepare('SELECT externalId, customerId FROM Event ORDER BY externalId').all()).toEqual(
      ['a', 'b', 'c'].map((externalId) => ({ externalId, customerId: a.customerId })),
    );
    // The merged id still resolves: a brand system that kept it reaches the same customer.
    const late = await api.events.ingest({
      id: 'd',
      type: 'order.placed',
      customerId: b.customerId as string,
      occurredAt: new Date(h.clock.now()),
      data: {},
    });
    expect(late).toMatchObject({ status: 'accepted', customerId: a.customerId });
    const profile = await h.as('viewer').customers.get({ id: b.customerId as string });
    expect(profile.id).toBe(a.customerId);
    expect(profile.identities.map((i) => `${i.kind}:${i.value}`).sort()).toEqual([
      'externalId:crm-1',
      'phone:+8613711112222',
    ]);
  });
});
