import { randomUUID } from 'node:crypto';
import { safeHttpUrl } from '@siyu/shared';
import express from 'express';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock, JourneyEngine } from '../engine/api.ts';
import { insertEventVia } from '../engine/event-inserter.ts';
import type { Logger } from '../logger.ts';

/** Package cards and posters are scanned; SMS links are clicked. */
function eventTypeFor(kind: string): 'qr.scanned' | 'link.clicked' {
  return kind === 'smsLink' ? 'link.clicked' : 'qr.scanned';
}

/**
 * GET /r/<code>[?c=<customerId>]: records the scan or click with channel and variant, then
 * redirects to the code's target. A known customer (SMS links carry `c`) goes through the engine
 * so waiting journeys react; an anonymous scan is stored as an event without a customer, for
 * channel recall counts.
 */
export function redirectRouter(deps: {
  db: AppDatabase;
  engine: JourneyEngine;
  clock: Clock;
  publicUrl: string;
  logger?: Logger;
}): express.Router {
  const router = express.Router();
  router.get('/r/:code', async (req, res) => {
    const code = await deps.db.prisma.entryCode.findUnique({
      where: { code: req.params.code },
      include: { channel: true },
    });
    if (!code || code.channel.archivedAt) {
      res.status(404).type('text/plain; charset=utf-8').send('链接无效或已过期 This link is invalid or expired');
      return;
    }
    const type = eventTypeFor(code.channel.kind);
    const data = { code: code.code, channelId: code.channelId, channelKind: code.channel.kind, variant: code.variant };
    const now = deps.clock.now();
    const customerId = typeof req.query.c === 'string' && req.query.c.length <= 100 ? req.query.c : undefined;
    try {
      const known = customerId ? await deps.db.prisma.customer.findUnique({ where: { id: customerId } }) : null;
      if (known) {
        await deps.engine.ingestEvent(
          { id: `r_${randomUUID()}`, type, customerId: known.id, occurredAt: new Date(now), data },
          'redirect',
        );
      } else {
        // An anonymous scan: recorded for the channel reports, through the engine's event writer.
        await insertEventVia(deps.db.sql, {
          externalId: `r_${randomUUID()}`,
          type,
          customerId: null,
          occurredAt: now,
          receivedAt: now,
          data,
          source: 'redirect',
          processedAt: now,
        });
      }
    } catch (error) {
      // Never strand the customer on an error page because tracking failed.
      deps.logger?.error({ err: error, code: code.code }, 'recording a redirect failed');
    }
    // Validated again at redirect time: a row stored before target URLs were limited to http(s)
    // must never send a customer to javascript: or data:.
    res.redirect(302, safeHttpUrl(code.targetUrl) ?? safeHttpUrl(code.qrCodeUrl) ?? `${deps.publicUrl}/`);
  });
  return router;
}
