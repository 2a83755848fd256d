import { createHmac } from 'node:crypto';
import { defineExecutor, PermanentError, RetryableError } from '@siyu/shared';
import { WEBHOOK_HEADERS, webhook, webhookSecretVariable, webhookSigningCredential } from '../webhook.ts';
import type { CoreServerDeps } from './deps.ts';

/**
 * Signature the receiver checks: hex HMAC-SHA256 over `<timestamp>.<body>` with the shared
 * secret, sent as `sha256=<hex>` (the Stripe/GitHub style receivers already know). The timestamp
 * lets the receiver refuse replays older than a few minutes.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** How long a server may ask us to wait (Retry-After seconds), capped so a step is not stuck. */
function retryAfterMs(header: string | null): number | undefined {
  const seconds = header ? Number(header) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 3600) * 1000 : undefined;
}

export function webhookExecutor(deps: CoreServerDeps) {
  const fetchImpl = deps.webhooks.fetch ?? fetch;
  return defineExecutor(webhook, async (ctx) => {
    const { config, customer } = ctx;
    // A named credential wins; a missing or mistyped one fails the step (CredentialError is permanent).
    const secret = config.credentialId
      ? (await deps.credentials.get(webhookSigningCredential, config.credentialId)).secret
      : deps.webhooks.secret(config.secretName);
    if (!secret) {
      const variable = webhookSecretVariable(config.secretName);
      throw new PermanentError(`webhook signing secret "${config.secretName}" is not configured (set ${variable})`, {
        code: 'noSecret',
      });
    }
    const body = JSON.stringify({
      idempotencyKey: ctx.idempotencyKey,
      journey: ctx.journey,
      nodeId: ctx.nodeId,
      sentAt: ctx.now.toISOString(),
      customer: {
        id: customer.id,
        identities: customer.identities,
        tags: customer.tags,
        attributes: customer.attributes,
        channel: customer.channel ?? null,
      },
      data: config.payload,
    });
    const timestamp = String(Math.floor(ctx.now.getTime() / 1000));
    // Claim → call → mark: a step whose call was answered returns that answer on a re-run (a crash
    // after the answer, a replay) instead of calling again. After a crash mid-call the claim is
    // open and the call is repeated: safe, the receiver de-duplicates by the Idempotency-Key header.
    const { value, via } = await deps.effects.call<{ status: number; durationMs: number }>(ctx, {
      ifUnknown: 'resend',
      send: async ({ idempotencyKey, signal }) => {
        const timeout = AbortSignal.timeout(config.timeoutSeconds * 1000);
        const started = Date.now();
        let response: Response;
        try {
          response = await fetchImpl(config.url, {
            method: config.method,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              [WEBHOOK_HEADERS.timestamp]: timestamp,
              [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
              [WEBHOOK_HEADERS.idempotencyKey]: idempotencyKey,
            },
            body,
            signal: AbortSignal.any([timeout, signal]),
            redirect: 'error',
          });
        } catch (error) {
          // No answer (network error, timeout): the receiver may have acted on it. Not a
          // RetryableError ("it did not do it"), so the claim stays open and the retry that
          // effects.call makes of it (ifUnknown: 'resend') is marked as a resend; the receiver
          // de-duplicates by the Idempotency-Key header.
          const reason = timeout.aborted ? `timed out after ${config.timeoutSeconds}s` : (error as Error).message;
          throw new Error(`webhook ${config.url}: ${reason}`, { cause: error });
        }
        const durationMs = Date.now() - started;
        // Drain the body so the connection is reused; keep a short excerpt for the timeline.
        const excerpt = (await response.text().catch(() => '')).slice(0, 200);
        if (response.ok) return { status: response.status, durationMs };
        if (response.status === 429 || response.status >= 500 || response.status === 408) {
          throw new RetryableError(`webhook ${config.url} answered ${response.status}: ${excerpt}`, {
            retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
          });
        }
        throw new PermanentError(`webhook ${config.url} answered ${response.status}: ${excerpt}`, {
          code: `http${response.status}`,
        });
      },
    });
    return { port: 'ok', data: via === 'sent' ? value : { ...value, replayed: true } };
  });
}
