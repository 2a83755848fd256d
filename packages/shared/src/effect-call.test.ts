import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEffectCalls, type EffectCallOptions } from './effect-call.ts';
import type { JsonValue } from './extension-sdk.ts';
import { memoryExtensionStorage } from './memory-storage.ts';
import { OutcomeUnknownError, PermanentError, RetryableError } from './node-sdk.ts';

// The branches of claim → call → mark. The crash itself (SIGKILL mid-call, a real provider over
// HTTP) is in packages/runtime/src/node-packages/effect-crash.test.ts; here the "provider" is the caller's
// own send/lookup functions, which is what the helper is given in production too.
let now = 1_000_000;
const setup = () => {
  const storage = memoryExtensionStorage();
  return { storage, effects: createEffectCalls(storage, () => now) };
};
const step = (extra: { operatorResend?: boolean } = {}) => ({
  idempotencyKey: '9:call:1',
  signal: new AbortController().signal,
  ...extra,
});
/** A provider call that counts itself and answers, or hangs up without an answer. */
const provider = (answer: 'ok' | 'noAnswer' | 'refused') => {
  const calls: { key: string; resend: boolean }[] = [];
  const send: EffectCallOptions<{ id: string }>['send'] = async ({ idempotencyKey, resend }) => {
    calls.push({ key: idempotencyKey, resend });
    if (answer === 'noAnswer') throw new TypeError('fetch failed: socket hang up');
    if (answer === 'refused') throw new PermanentError('bad number', { code: 'badNumber' });
    return { id: `m-${calls.length}` };
  };
  return { calls, send };
};

describe('effects.call', () => {
  it('calls once: a later attempt gets the stored answer', async () => {
    const { effects } = setup();
    const p = provider('ok');
    expect(await effects.call(step(), { send: p.send })).toEqual({ value: { id: 'm-1' }, via: 'sent' });
    expect(await effects.call(step(), { send: p.send })).toEqual({ value: { id: 'm-1' }, via: 'stored' });
    expect(p.calls).toEqual([{ key: '9:call:1', resend: false }]);
  });

  it('a refusal drops the claim: the next attempt calls afresh', async () => {
    const { effects, storage } = setup();
    await expect(effects.call(step(), { send: provider('refused').send })).rejects.toThrow(PermanentError);
    expect(storage.keys()).toEqual([]);
    const p = provider('ok');
    expect(await effects.call(step(), { send: p.send })).toMatchObject({ via: 'sent' });
    expect(p.calls).toEqual([{ key: '9:call:1', resend: false }]);
  });

  it('no answer and no way to ask: parked, and parked again on the next attempt without calling', async () => {
    const { effects } = setup();
    const first = await effects.call(step(), { send: provider('noAnswer').send }).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OutcomeUnknownError);
    expect((first as OutcomeUnknownError).recheckAfterMs).toBeUndefined();
    const p = provider('ok');
    await expect(effects.call(step(), { send: p.send })).rejects.toThrow(/cannot be checked/);
    expect(p.calls).toEqual([]);
    // The operator says "resend": called again with the same key, marked as a resend.
    expect(await effects.call(step({ operatorResend: true }), { send: p.send })).toMatchObject({ via: 'sent' });
    expect(p.calls).toEqual([{ key: '9:call:1', resend: true }]);
  });

  it('no answer from a provider that de-duplicates: retried, and the retry resends with the same key', async () => {
    const { effects } = setup();
    await expect(effects.call(step(), { ifUnknown: 'resend', send: provider('noAnswer').send })).rejects.toThrow(
      RetryableError,
    );
    const p = provider('ok');
    expect(await effects.call(step(), { ifUnknown: 'resend', send: p.send })).toMatchObject({ via: 'sent' });
    expect(p.calls).toEqual([{ key: '9:call:1', resend: true }]);
  });

  it('with a lookup: rechecked later; the provider settles it (sent, not sent, cannot tell)', async () => {
    const { effects } = setup();
    const noAnswer = await effects
      .call(step(), { send: provider('noAnswer').send, lookup: async () => ({ status: 'notSent' }) })
      .catch((e: unknown) => e);
    expect((noAnswer as OutcomeUnknownError).recheckAfterMs).toBe(30_000);

    const cannotTell = await effects
      .call(step(), {
        send: provider('ok').send,
        lookup: async () => ({ status: 'unknown', reason: 'records lag', recheckAfterMs: 5_000 }),
      })
      .catch((e: unknown) => e);
    expect(cannotTell).toBeInstanceOf(OutcomeUnknownError);
    expect((cannotTell as OutcomeUnknownError).recheckAfterMs).toBe(5_000);

    // A failing lookup is asked again for 30 minutes after the claim, then an operator decides.
    const failing = { send: provider('ok').send, lookup: async () => Promise.reject(new Error('503')) };
    expect(((await effects.call(step(), failing).catch((e) => e)) as OutcomeUnknownError).recheckAfterMs).toBe(30_000);
    now += 31 * 60_000;
    expect(((await effects.call(step(), failing).catch((e) => e)) as OutcomeUnknownError).recheckAfterMs).toBe(
      undefined,
    );

    const notSent = provider('ok');
    expect(
      await effects.call(step(), { send: notSent.send, lookup: async () => ({ status: 'notSent' }) }),
    ).toMatchObject({ via: 'sent' });
    expect(notSent.calls).toEqual([{ key: '9:call:1', resend: true }]);
  });

  it('a lookup that finds the call records its answer without calling', async () => {
    const { effects } = setup();
    await effects.call(step(), { send: provider('noAnswer').send }).catch(() => undefined);
    const p = provider('ok');
    const found = await effects.call(step(), {
      send: p.send,
      lookup: async () => ({ status: 'sent', result: { id: 'provider-7' } }),
    });
    expect(found).toEqual({ value: { id: 'provider-7' }, via: 'lookup' });
    expect(await effects.call(step(), { send: p.send })).toEqual({ value: { id: 'provider-7' }, via: 'stored' });
    expect(p.calls).toEqual([]);
  });

  it('checks the result against a schema, stored ones too, and keeps it either way', async () => {
    const { effects } = setup();
    const send = async (): Promise<JsonValue> => ({ id: 42 });
    const schema = z.object({ id: z.string() }) as unknown as z.ZodType<JsonValue>;
    await expect(effects.call(step(), { send, schema })).rejects.toThrow(/does not match its schema: id:/);
    // The call is recorded (it happened): no second call, the same clear error.
    let again = 0;
    await expect(
      effects.call(step(), {
        schema,
        send: async () => {
          again++;
          return { id: 'x' };
        },
      }),
    ).rejects.toThrow(PermanentError);
    expect(again).toBe(0);
    expect(await effects.call(step(), { send })).toEqual({ value: { id: 42 }, via: 'stored' });
  });
});
