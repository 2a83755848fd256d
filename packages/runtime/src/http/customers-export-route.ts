import { apiErrorDetail, apiErrorText, SegmentFilterSchema } from '@siyu/shared';
import express from 'express';
import { z } from 'zod';
import { segmentMemberIds } from '../audiences/segments.ts';
import { roleAllows } from '../auth/roles.ts';
import { type CsvLanguage, customersCsv } from '../customers/customers-csv.ts';
import { CustomerSearchSchema, searchCustomerIds } from '../customers/search-customers.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';
import type { Logger } from '../logger.ts';
import { principalFromHeaders } from './principal-from-headers.ts';
import { requestIdOf } from './request-id.ts';

/** What to export: the list's search (without its paging) or a segment's filter. */
const ExportQuerySchema = z.object({
  lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
  of: z.union([
    z.object({ search: CustomerSearchSchema.omit({ limit: true, offset: true }) }).strict(),
    z.object({ filter: SegmentFilterSchema }).strict(),
  ]),
});
export type CustomersExportQuery = z.input<typeof ExportQuerySchema>;

/**
 * GET /exports/customers.csv?q=<JSON>: the customers a search or segment finds, streamed as CSV
 * (UTF-8 with BOM, formula-safe). A plain link, so the browser downloads it with the session
 * cookie and the file never sits whole in the editor's or the server's memory. Viewers and up;
 * API keys never read customer data.
 */
export function customersExportRouter(deps: { db: AppDatabase; clock: Clock; logger?: Logger }): express.Router {
  const router = express.Router();
  router.get('/exports/customers.csv', async (req, res, next) => {
    const refuse = (status: number, code: string, detail: ReturnType<typeof apiErrorDetail>) =>
      res.status(status).json({
        error: { code, key: detail.key, message: apiErrorText(detail)?.en, requestId: requestIdOf(res) },
      });
    try {
      const { principal } = await principalFromHeaders(deps.db, req.headers);
      if (principal?.kind !== 'operator') {
        refuse(401, 'UNAUTHORIZED', apiErrorDetail('auth.signInRequired'));
        return;
      }
      if (!roleAllows(principal.role, 'viewer')) {
        refuse(403, 'FORBIDDEN', apiErrorDetail('auth.roleRequired', { role: 'viewer' }));
        return;
      }
      const parsed = ExportQuerySchema.safeParse(parseJson(req.query.q));
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${['q', ...i.path].join('.')}: ${i.message}`).join('; ');
        refuse(400, 'BAD_REQUEST', apiErrorDetail('customers.exportQueryInvalid', { issues }));
        return;
      }
      const { lang, of } = parsed.data;
      const now = deps.clock.now();
      const ids =
        'filter' in of
          ? await segmentMemberIds(deps.db, [of.filter], now)
          : await searchCustomerIds(deps.db.sql, of.search);
      const stamp = new Date(now).toISOString().slice(0, 10);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="customers-${stamp}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      let closed = false;
      res.on('close', () => {
        closed = true;
      });
      for await (const piece of customersCsv(deps.db.sql, ids, lang as CsvLanguage)) {
        if (closed) return;
        // Backpressure: a slow download holds the next page until the socket drains.
        if (!res.write(piece)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      res.end();
    } catch (err) {
      if (res.headersSent) {
        deps.logger?.error({ err, requestId: requestIdOf(res) }, 'customers export failed midway');
        res.destroy(err as Error);
      } else next(err);
    }
  });
  return router;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string' || value.length > 100_000) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
