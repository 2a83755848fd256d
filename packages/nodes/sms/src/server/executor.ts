// The sms.send executor: validate the number, respect opt-outs and the per-number limit, render
// the message, then claim → send → mark sent, so a retried step returns the first send's record.
import { randomBytes } from 'node:crypto';
import {
  type CustomerView,
  defineExecutor,
  EFFECT_GIVE_UP_MS,
  EFFECT_RECHECK_MS,
  OutcomeUnknownError,
  PermanentError,
} from '@siyu/shared';
import {
  countSmsParts,
  fillTemplateText,
  normalizeMainlandPhone,
  renderTemplate,
  type SendSmsConfig,
  type SmsKind,
  type SmsVariableMapping,
  sendSms,
  signedSmsText,
  smsVariables,
  templateVariableNames,
  unmappedVariables,
  variableValue,
} from '../index.ts';
import type { SmsServerDeps } from './deps.ts';
import { type SmsLookup, SmsRejected, sandboxProvider } from './providers.ts';

const DAY_MS = 86_400_000;

// The same recheck policy as deps.effects.call (shared effect-call.ts): after an unanswered send or
// a failed lookup, ask again after EFFECT_RECHECK_MS (a recheck is not an attempt); give up after
// EFFECT_GIVE_UP_MS from the claim, and an operator decides.

/**
 * A fresh tracked-link code: 96 random bits, 16 URL-safe characters. Random, not derived from the
 * step, because the code is all that stands between a stranger and a forged `link.clicked` for a
 * customer; a retried step gets its first code back from `saveTrackedLink` instead.
 */
export function newLinkCode(): string {
  return randomBytes(12).toString('base64url');
}

/** What one send carries, from a registered template or from an older node's free text. */
interface OutgoingSms {
  /** The text as the customer reads it (without the 【sign name】). */
  content: string;
  /** Template parameters in template order (Aliyun TemplateParam / Tencent TemplateParamSet). */
  params: Record<string, string>;
  signName: string;
  templateCode: string;
  kind: SmsKind;
}

/** A node written before templates were registered: its own code, sign name and text. */
function freeTextMessage(config: SendSmsConfig, vars: Record<string, unknown>): OutgoingSms {
  return {
    content: renderTemplate(config.content, vars),
    params: Object.fromEntries(Object.entries(config.params).map(([k, v]) => [k, renderTemplate(v, vars)])),
    signName: config.signName,
    templateCode: config.templateCode,
    kind: config.kind,
  };
}

export function createSendSmsExecutor(deps: SmsServerDeps) {
  const provider = deps.provider ?? sandboxProvider();
  const limit = deps.perNumberLimit ?? 5;
  const windowMs = deps.frequencyWindowMs ?? DAY_MS;

  /**
   * An earlier attempt claimed this send and never recorded the provider's answer (the process
   * died, or the call timed out): ask the provider what happened instead of guessing.
   */
  async function reconcile(
    existing: { provider: string; recipient: string; sentAt: number },
    idempotencyKey: string,
    now: Date,
    signal: AbortSignal,
  ): Promise<SmsLookup> {
    if (existing.provider !== provider.name) {
      // The provider was switched since: the one that may have the message is not configured.
      return { status: 'unknown', reason: `claimed with provider ${existing.provider}, now ${provider.name}` };
    }
    if (!provider.lookup) {
      return { status: 'unknown', reason: `provider ${provider.name} cannot look up earlier sends` };
    }
    try {
      return await provider.lookup(
        { phone: existing.recipient, outId: idempotencyKey, claimedAt: existing.sentAt, now: now.getTime() },
        signal,
      );
    } catch (error) {
      const reason = `SMS provider lookup failed: ${(error as Error).message}`;
      const waited = now.getTime() - existing.sentAt;
      return waited < EFFECT_GIVE_UP_MS
        ? { status: 'unknown', reason, recheckAfterMs: EFFECT_RECHECK_MS }
        : { status: 'unknown', reason };
    }
  }

  /** A registered template: its code and sign name, its variables filled from the node's mapping. */
  async function templateMessage(
    config: SendSmsConfig,
    customer: CustomerView,
    link: string | undefined,
  ): Promise<OutgoingSms> {
    const template = await deps.findTemplate?.(config.templateId);
    if (!template) {
      throw new PermanentError(`短信模板不存在 / SMS template ${config.templateId} does not exist`, {
        code: 'templateMissing',
      });
    }
    const missing = unmappedVariables(template.text, config.variables);
    if (missing.length > 0) {
      throw new PermanentError(`模板变量未设置 / template variables not mapped: ${missing.join(', ')}`, {
        code: 'templateVariablesUnmapped',
      });
    }
    const codes = new Map<string, string | undefined>();
    for (const m of Object.values(config.variables)) {
      if (m.source === 'coupon' && !codes.has(m.value)) {
        codes.set(m.value, await deps.couponCodeFor?.(customer.id, m.value));
      }
    }
    const inputs = {
      displayName: customer.displayName,
      phone: customer.identities.phone,
      attributes: customer.attributes,
      couponCode: (stockId: string) => codes.get(stockId),
      link,
    };
    const params = Object.fromEntries(
      templateVariableNames(template.text).map((name) => [
        name,
        variableValue(config.variables[name] as SmsVariableMapping, inputs),
      ]),
    );
    return {
      content: fillTemplateText(template.text, params),
      params,
      signName: template.signName,
      templateCode: template.templateCode,
      kind: template.kind,
    };
  }

  return defineExecutor(sendSms, async (ctx) => {
    const { config, customer, idempotencyKey, journey, nodeId, now, signal } = ctx;
    const raw = customer.identities.phone;
    if (!raw) throw new PermanentError('客户没有手机号 / customer has no phone number', { code: 'noPhone' });
    const phone = normalizeMainlandPhone(raw);
    if (!phone.ok) throw new PermanentError(phone.reason, { code: 'invalidPhone' });
    if (await deps.isOptedOut(phone.e164)) {
      throw new PermanentError(`号码已退订 / ${phone.e164} opted out of SMS`, { code: 'optedOut' });
    }

    let link: string | undefined;
    if (config.trackedLink) {
      // A relative link is fine in the sandbox but useless on a phone: real sends need the base URL.
      if (!deps.linkBaseUrl && provider.name !== 'sandbox') {
        throw new PermanentError('追踪链接需要配置 PUBLIC_URL / tracked links need linkBaseUrl (PUBLIC_URL)', {
          code: 'linkBaseUrlMissing',
        });
      }
      const { code } = await deps.saveTrackedLink({
        code: newLinkCode(),
        customerId: customer.id,
        url: config.trackedLink.url,
        messageKey: idempotencyKey,
      });
      link = `${deps.linkBaseUrl ?? '/webhooks/sms/link'}?c=${code}`;
    }
    const message = config.templateId
      ? await templateMessage(config, customer, link)
      : freeTextMessage(config, smsVariables(customer, link ? { link } : {}));
    const { content, params, signName, templateCode, kind } = message;
    const { parts } = countSmsParts(content, signName);

    // The frequency check comes before the claim, so this step's own row is never counted.
    const recent = await deps.countSentTo(phone.e164, now.getTime() - windowMs);
    const claim = await deps.claimMessage({
      idempotencyKey,
      customerId: customer.id,
      provider: provider.name,
      kind,
      recipient: phone.e164,
      content: signedSmsText(signName, content),
      parts,
      status: 'sending',
      journeyId: journey.id,
      nodeId,
      sentAt: now.getTime(),
    });
    if (!claim.claimed) {
      const { existing } = claim;
      if (existing.status !== 'sending') {
        return {
          port: 'sent',
          data: { messageKey: idempotencyKey, providerMessageId: existing.providerMessageId, deduplicated: true },
        };
      }
      // The claim is ours but its outcome was never recorded. An operator's "resend" sends again
      // (same OutId) without asking; otherwise the provider decides: sent, never got it, or cannot tell.
      if (!ctx.operatorResend) {
        const found = await reconcile(existing, idempotencyKey, now, signal);
        if (found.status === 'sent') {
          await deps.markSent(idempotencyKey, found.providerMessageId);
          return {
            port: 'sent',
            data: { messageKey: idempotencyKey, providerMessageId: found.providerMessageId, reconciled: true },
          };
        }
        if (found.status === 'unknown') {
          throw new OutcomeUnknownError(`上次发送结果未知 / earlier send's outcome unknown: ${found.reason}`, {
            code: 'sendUncertain',
            recheckAfterMs: found.recheckAfterMs,
          });
        }
      }
      // Absent at the provider (or resent on an operator's word): the claim stands, send now. The
      // frequency limit was checked when the claim was made.
    } else if (recent >= limit) {
      await deps.releaseClaim(idempotencyKey);
      throw new PermanentError(`已达频次上限 ${limit} 条 / ${phone.e164} reached ${limit} SMS per window`, {
        code: 'frequencyLimited',
      });
    }

    try {
      const { providerMessageId } = await provider.send(
        {
          phone: phone.e164,
          signName,
          templateCode,
          params,
          outId: idempotencyKey,
        },
        signal,
      );
      await deps.markSent(idempotencyKey, providerMessageId);
      return { port: 'sent', data: { messageKey: idempotencyKey, providerMessageId, parts, provider: provider.name } };
    } catch (error) {
      if (error instanceof SmsRejected) {
        await deps.releaseClaim(idempotencyKey);
        throw error.error;
      }
      // No answer: the provider may or may not have the message. The claim stays and the provider
      // is asked later (a recheck uses no attempt, so this can never end in a failed step).
      throw new OutcomeUnknownError(`SMS provider did not answer: ${(error as Error).message}`, {
        code: 'sendUncertain',
        recheckAfterMs: EFFECT_RECHECK_MS,
        cause: error,
      });
    }
  });
}
