// An in-memory SmsServerDeps, for tests and for trying the package without a database. The
// runtime's implementation (packages/runtime/src/node-packages/sms-services.ts) has the same rules.
import type { SmsMessageRecord, SmsServerDeps } from './deps.ts';

/** The callback token of the in-memory deps (tests put it in their callback URLs). */
export const MEMORY_CALLBACK_TOKEN = 'memory-callback-token';

export function createMemorySmsDeps(overrides: Partial<SmsServerDeps> = {}) {
  const messages = new Map<string, SmsMessageRecord & { error?: string; deliveredAt?: number }>();
  const optOuts = new Map<string, string>();
  const links = new Map<string, { customerId: string; url: string; messageKey: string }>();
  const deps: SmsServerDeps = {
    async callbackToken() {
      return MEMORY_CALLBACK_TOKEN;
    },
    async claimMessage(record) {
      const existing = messages.get(record.idempotencyKey);
      if (existing) return { claimed: false, existing };
      messages.set(record.idempotencyKey, { ...record });
      return { claimed: true };
    },
    async markSent(key, providerMessageId) {
      const m = messages.get(key);
      if (m) Object.assign(m, { status: 'sent', providerMessageId });
    },
    async releaseClaim(key) {
      if (messages.get(key)?.status === 'sending') messages.delete(key);
    },
    async applyReceipt(provider, id, receipt) {
      const byOutId = receipt.outId ? messages.get(receipt.outId) : undefined;
      const m =
        [...messages.values()].find((x) => x.provider === provider && x.providerMessageId === id) ??
        (byOutId?.provider === provider && byOutId.providerMessageId === undefined ? byOutId : undefined);
      if (!m || m.status !== 'sent') return { applied: false };
      Object.assign(m, {
        providerMessageId: id,
        status: receipt.delivered ? 'delivered' : 'failed',
        deliveredAt: receipt.at,
        error: receipt.error,
      });
      return { applied: true, customerId: m.customerId, idempotencyKey: m.idempotencyKey };
    },
    async countSentTo(phone, since) {
      return [...messages.values()].filter((m) => m.recipient === phone && m.sentAt >= since).length;
    },
    async isOptedOut(phone) {
      return optOuts.has(phone);
    },
    async optOut(phone, reason) {
      if (optOuts.has(phone)) return false;
      optOuts.set(phone, reason);
      return true;
    },
    async saveTrackedLink(link) {
      for (const [code, l] of links) if (l.messageKey === link.messageKey) return { code };
      links.set(link.code, link);
      return { code: link.code };
    },
    async findTrackedLink(code) {
      return links.get(code);
    },
    ...overrides,
  };
  return { deps, messages, optOuts, links };
}
