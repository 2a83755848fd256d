// The effect helper for network calls: claim → call → mark, reconciled after a crash.
// `storage.once` makes work without I/O exactly-once; a call to a provider cannot run inside a
// storage transaction, so it needs a claim recorded before the call and the answer recorded
// after. A claim found open on a later attempt means an earlier attempt may have reached the
// provider (the process died mid-call): the provider is asked (`lookup`), or the call is repeated
// with the same idempotency key when the provider de-duplicates by it, or the step is parked as
// "outcome unknown" for an operator. Platform-neutral: no Node APIs (only the storage interface).
import type { z } from 'zod';
import type { ExtensionStorage, JsonValue } from './extension-sdk.ts';
import type { ExecutorContext } from './node-sdk.ts';
import { OutcomeUnknownError, PermanentError, RetryableError } from './node-sdk.ts';

/** What the provider says about an earlier call that was never answered. */
export type EffectLookup<T> =
  /** It has it: its answer is recorded as the call's result. */
  | { status: 'sent'; result: T }
  /** It never got it: the call is made again (same idempotency key). */
  | { status: 'notSent' }
  /** It cannot tell (yet): the step parks, or is asked again after `recheckAfterMs`. */
  | { status: 'unknown'; reason?: string; recheckAfterMs?: number };

export interface EffectCallOptions<T extends JsonValue> {
  /** Names the call; default the step's idempotency key. Another key per call when a step makes several. */
  key?: string;
  /**
   * Makes the call. Pass `idempotencyKey` to the provider when it accepts one (an
   * `Idempotency-Key` header, an out_request_no): then a repeated call is harmless. Throw
   * RetryableError or PermanentError only when the provider answered that it did NOT do it
   * (4xx, 429, a 503 before processing): the claim is dropped. Any other error (network failure,
   * timeout, abort) leaves the outcome unknown and the claim open.
   */
  send: (call: { idempotencyKey: string; signal: AbortSignal; resend: boolean }) => Promise<T>;
  /** Asks the provider what became of an unanswered call (by the idempotency key it was given). */
  lookup?: (call: { idempotencyKey: string; claimedAt: number; signal: AbortSignal }) => Promise<EffectLookup<T>>;
  /**
   * What to do about an unanswered call that `lookup` cannot settle (or with no `lookup`):
   * 'park' (default) waits for an operator; 'resend' calls again with the same idempotency key —
   * only for providers that de-duplicate by it.
   */
  ifUnknown?: 'park' | 'resend';
  /** Ask `lookup` again this long after an unanswered call or a failed lookup. Default 30 s. */
  recheckAfterMs?: number;
  /** Stop rechecking a failing `lookup` this long after the claim; then an operator decides. Default 30 min. */
  giveUpAfterMs?: number;
  /** Checks the result on the way out (a stored result from older code included). */
  schema?: z.ZodType<T>;
}

export interface EffectCallResult<T> {
  value: T;
  /** 'sent': called now; 'stored': an earlier attempt's recorded answer; 'lookup': the provider's record. */
  via: 'sent' | 'stored' | 'lookup';
}

/** The part of an executor's context the helper reads. */
export type EffectStepContext = Pick<ExecutorContext<unknown>, 'idempotencyKey' | 'signal' | 'operatorResend'>;

export interface EffectCalls {
  call<T extends JsonValue>(ctx: EffectStepContext, options: EffectCallOptions<T>): Promise<EffectCallResult<T>>;
}

/** What is stored per call: the claim, then the answer. */
type EffectRecord = { state: 'claimed'; claimedAt: number } | { state: 'done'; result: JsonValue; doneAt: number };

/** Default: ask the provider again this long after an unanswered call or a failed lookup. */
export const EFFECT_RECHECK_MS = 30_000;
/** Default: stop rechecking a failing lookup this long after the claim; then an operator decides. */
export const EFFECT_GIVE_UP_MS = 30 * 60_000;

/**
 * Effect calls over a storage namespace of their own (the runtime gives each package one, apart
 * from its `storage`, so its keys cannot collide with the package's). `now` is the host's clock.
 */
export function createEffectCalls(storage: ExtensionStorage, now: () => number): EffectCalls {
  const mark = (key: string, result: JsonValue) =>
    storage.transaction((tx) => tx.set(key, { state: 'done', result, doneAt: now() }));
  const release = (key: string) => storage.transaction((tx) => tx.delete(key));

  return {
    async call<T extends JsonValue>(ctx: EffectStepContext, options: EffectCallOptions<T>) {
      const key = options.key ?? ctx.idempotencyKey;
      const check = (value: JsonValue, via: EffectCallResult<T>['via']): EffectCallResult<T> => {
        if (!options.schema) return { value: value as T, via };
        const parsed = options.schema.safeParse(value);
        if (parsed.success) return { value: parsed.data, via };
        // The call happened and its answer is kept; repeating it cannot make the answer fit.
        throw new PermanentError(
          `调用 ${key} 的结果不符合 schema / the result of call ${key} does not match its schema: ${parsed.error.issues
            .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; ')}`,
          { code: 'effectResultInvalid' },
        );
      };
      // Claim in one transaction with the read, so two runs cannot both see "no record".
      const found = await storage.transaction((tx): EffectRecord | undefined => {
        const existing = tx.get<EffectRecord>(key);
        if (!existing) tx.set(key, { state: 'claimed', claimedAt: now() });
        return existing;
      });
      if (found?.state === 'done') return check(found.result, 'stored');

      let resend = false;
      if (found) {
        // An open claim: an earlier attempt made (or was making) this call and never recorded the answer.
        resend = true;
        if (!ctx.operatorResend) {
          const settled = await settle(key, found.claimedAt);
          if (settled) return settled;
        }
      }
      return send(key, resend);

      async function settle(key: string, claimedAt: number): Promise<EffectCallResult<T> | undefined> {
        if (options.lookup) {
          let answer: EffectLookup<T>;
          try {
            answer = await options.lookup({ idempotencyKey: key, claimedAt, signal: ctx.signal });
          } catch (error) {
            const waited = now() - claimedAt;
            throw new OutcomeUnknownError(
              `上次调用结果未知，查询失败 / earlier call's outcome unknown, lookup failed: ${(error as Error).message}`,
              {
                code: 'effectOutcomeUnknown',
                cause: error,
                recheckAfterMs:
                  waited < (options.giveUpAfterMs ?? EFFECT_GIVE_UP_MS)
                    ? (options.recheckAfterMs ?? EFFECT_RECHECK_MS)
                    : undefined,
              },
            );
          }
          if (answer.status === 'sent') {
            await mark(key, answer.result);
            return check(answer.result, 'lookup');
          }
          if (answer.status === 'notSent') return undefined;
          if (options.ifUnknown !== 'resend') {
            throw new OutcomeUnknownError(
              `上次调用结果未知 / earlier call's outcome unknown: ${answer.reason ?? 'the provider cannot tell'}`,
              { code: 'effectOutcomeUnknown', recheckAfterMs: answer.recheckAfterMs },
            );
          }
          return undefined;
        }
        if (options.ifUnknown === 'resend') return undefined;
        throw new OutcomeUnknownError(
          `上次调用可能已送达且无法核对 / an earlier call of ${key} may have reached the provider and cannot be checked`,
          { code: 'effectOutcomeUnknown' },
        );
      }

      async function send(key: string, resend: boolean): Promise<EffectCallResult<T>> {
        let result: T;
        try {
          result = await options.send({ idempotencyKey: key, signal: ctx.signal, resend });
        } catch (error) {
          // The provider answered "not done": the next attempt starts afresh.
          if (error instanceof RetryableError || error instanceof PermanentError) {
            await release(key);
            throw error;
          }
          if (error instanceof OutcomeUnknownError) throw error;
          const message = `调用 ${key} 未得到答复 / call ${key} got no answer: ${(error as Error).message}`;
          // The claim stays open; the next attempt resends (safe: the provider de-duplicates) or asks.
          if (options.ifUnknown === 'resend') throw new RetryableError(message, { cause: error });
          throw new OutcomeUnknownError(message, {
            code: 'effectOutcomeUnknown',
            cause: error,
            recheckAfterMs: options.lookup ? (options.recheckAfterMs ?? EFFECT_RECHECK_MS) : undefined,
          });
        }
        if (result === undefined) {
          await mark(key, null);
          throw new PermanentError(`send of ${key} returned undefined: return a JSON value (null for none)`, {
            code: 'effectResultInvalid',
          });
        }
        // If this write fails (a value that is not JSON or over 64 KiB, the database going away) the
        // claim stays open and the next attempt settles it like a crash: asked, resent or parked.
        await mark(key, result);
        return check(result, 'sent');
      }
    },
  };
}
