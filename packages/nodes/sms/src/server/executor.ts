// The sms.send executor: validate the number, respect opt-outs and the per-number limit, render
// the message, then claim → send → mark sent, so a retried step returns the first send's record.
import { randomBytes } from 'node:crypto';
import { defineExecutor, PermanentError, RetryableError } from '@siyu/shared';
import { countSmsParts, normalizeMainlandPhone, renderTemplate, sendSms, smsVariables } from '../index.ts';
import type { SmsServerDeps } from './deps.ts';
import { SmsRejected, sandboxProvider } from './providers.ts';

const DAY_MS = 86_400_000;

/**
 * A fresh tracked-link code: 96 random bits, 16 URL-safe characters. Random, not derived from the
 * step, because the code is all that stands between a stranger and a forged `link.clicked` for a
 * customer; a retried step gets its first code back from `saveTrackedLink` instead.
 */
export function newLinkCode(): string {
  return randomBytes(12).toString('base64url');
}

export function createSendSmsExecutor(deps: SmsServerDeps) {
  const provider = deps.provider ?? sandboxProvider();
  const limit = deps.perNumberLimit ?? 5;
  const windowMs = deps.frequencyWindowMs ?? DAY_MS;

  return defineExecutor(sendSms, async ({ config, customer, idempotencyKey, journey, nodeId, now, signal }) => {
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
    const vars = smsVariables(customer, link ? { link } : {});
    const content = renderTemplate(config.content, vars);
    const params = Object.fromEntries(Object.entries(config.params).map(([k, v]) => [k, renderTemplate(v, vars)]));
    const { parts } = countSmsParts(content, config.signName);

    // The frequency check comes before the claim, so this step's own row is never counted.
    const recent = await deps.countSentTo(phone.e164, now.getTime() - windowMs);
    const claim = await deps.claimMessage({
      idempotencyKey,
      customerId: customer.id,
      provider: provider.name,
      kind: config.kind,
      recipient: phone.e164,
      content: `【${config.signName}】${content}`,
      parts,
      status: 'sending',
      journeyId: journey.id,
      nodeId,
      sentAt: now.getTime(),
    });
    if (!claim.claimed) {
      const { existing } = claim;
      if (existing.status === 'sending') {
        // An earlier attempt died between claiming and hearing back: it may have sent. Sending
        // again could message the customer twice, so stop here.
        throw new PermanentError('上次发送结果未知，不再重发 / earlier attempt outcome unknown; not resending', {
          code: 'sendUncertain',
        });
      }
      return {
        port: 'sent',
        data: { messageKey: idempotencyKey, providerMessageId: existing.providerMessageId, deduplicated: true },
      };
    }
    if (recent >= limit) {
      await deps.releaseClaim(idempotencyKey);
      throw new PermanentError(`已达频次上限 ${limit} 条 / ${phone.e164} reached ${limit} SMS per window`, {
        code: 'frequencyLimited',
      });
    }

    try {
      const { providerMessageId } = await provider.send(
        {
          phone: phone.e164,
          signName: config.signName,
          templateCode: config.templateCode,
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
      // No answer from the provider: the claim stays, and a retry stops instead of risking a duplicate.
      throw new RetryableError(`SMS provider unreachable: ${(error as Error).message}`, { cause: error });
    }
  });
}
