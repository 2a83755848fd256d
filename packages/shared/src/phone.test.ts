import { describe, expect, it } from 'vitest';
import { JourneyEventSchema } from './events.ts';
import { isMainlandMobile, normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['13711112222', '+8613711112222'],
    ['+8613711112222', '+8613711112222'],
    ['137 1111 2222', '+8613711112222'],
    ['137-1111-2222', '+8613711112222'],
    ['+86 137-1111-2222', '+8613711112222'],
    ['(+86) 137 1111 2222', '+8613711112222'],
    ['008613711112222', '+8613711112222'],
    ['8613711112222', '+8613711112222'],
    ['１３７１１１１２２２２', '+8613711112222'],
    ['19212345678', '+8619212345678'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+852 9123 4567', '+85291234567'],
    ['+1 415 555 0100', '+14155550100'],
  ])('%s → %s', (raw, e164) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['12812345678', /mainland China mobile/],
    ['1381234567', /mainland China mobile/],
    ['138123456789', /mainland China mobile/],
    ['010-12345678', /mainland China mobile/],
    ['+86 10 1234 5678', /mainland China mobile/],
    ['4155550100', /mainland China mobile.*country code/],
    ['+1 555 0100', /not a valid phone number/],
    ['abc', /mainland China mobile/],
    ['1'.repeat(50), /too long/],
  ])('refuses %j with a reason', (raw, reason) => {
    const r = normalizePhone(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('tells mainland mobiles from other numbers', () => {
    expect(isMainlandMobile('+8613711112222')).toBe(true);
    expect(isMainlandMobile('+442079460958')).toBe(false);
  });
});

describe('event identities', () => {
  const event = (phone: string) => ({ id: 'e', type: 'order.placed', occurredAt: 0, identities: { phone } });

  it('carry the phone as E.164 whatever form it was sent in', () => {
    for (const phone of ['13711112222', '+8613711112222', '137 1111 2222']) {
      expect(JourneyEventSchema.parse(event(phone)).identities?.phone).toBe('+8613711112222');
    }
  });

  it('refuse a phone that is not a number, naming the field and the reason', () => {
    const r = JourneyEventSchema.safeParse(event('12812345678'));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['identities', 'phone']);
    expect(r.error?.issues[0]?.message).toMatch(/mainland China mobile/);
  });

  it('treat an empty phone as absent', () => {
    const r = JourneyEventSchema.safeParse({ ...event(''), identities: { phone: '', externalId: 'x1' } });
    expect(r.success && r.data.identities).toEqual({ externalId: 'x1' });
  });
});
