// Coupon node dependencies over the runtime's database (CouponStock, Coupon), SQLite or PostgreSQL
// through the SQL port. Reservation is one transaction holding the stock row: the idempotency-key
// lookup, the stock checks (window, budget, per-customer cap) and the budget increment cannot
// interleave with another issue, so the budget and the cap hold under concurrency and a retried
// step finds its coupon. Providers come from COUPONS_* / WECHATPAY_* environment variables; the
// sandbox is always available (the default).
import { randomUUID } from 'node:crypto';
import {
  type CouponProvider,
  type CouponProviderName,
  type CouponRecord,
  type CouponStockRecord,
  type CouponStore,
  type CouponsServerDeps,
  type ReserveResult,
  sandboxCouponProvider,
  wechatPayCouponProvider,
} from '@siyu/nodes-coupons/server';
import { HttpUrlSchema } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';
import type { SqlClient } from '../db/sql-client.ts';
import { forUpdate } from '../db/sql-dialect.ts';
import type { Clock } from '../engine/api.ts';
import { type Env, parseEnv, requireVariables } from '../env.ts';
import type { Logger } from '../logger.ts';

/** Same DateTime text form the other services write (Prisma reads it back). */
const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');

type Row = Record<string, unknown>;
const dateOf = (v: unknown): Date => (typeof v === 'number' ? new Date(v) : new Date(String(v)));

function stockOf(r: Row): CouponStockRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    provider: r.provider as CouponProviderName,
    providerStockId: (r.providerStockId as string | null) ?? null,
    maxCoupons: Number(r.maxCoupons),
    maxPerCustomer: Number(r.maxPerCustomer),
    issued: Number(r.issued),
    amountCents: Number(r.amountCents),
    minimumCents: Number(r.minimumCents),
    validFrom: dateOf(r.validFrom),
    validTo: dateOf(r.validTo),
    status: r.status as CouponStockRecord['status'],
  };
}

function couponOf(r: Row): CouponRecord {
  return {
    id: String(r.id),
    stockId: String(r.stockId),
    customerId: String(r.customerId),
    idempotencyKey: String(r.idempotencyKey),
    providerCouponId: (r.providerCouponId as string | null) ?? null,
    status: r.status as CouponRecord['status'],
    issuedAt: dateOf(r.issuedAt),
    usedAt: r.usedAt == null ? null : dateOf(r.usedAt),
    orderId: (r.orderId as string | null) ?? null,
  };
}

export function createCouponStore(db: Pick<AppDatabase, 'sql'>): CouponStore {
  const { sql } = db;
  const stockById = async (q: SqlClient, id: string) => q.get<Row>('SELECT * FROM CouponStock WHERE id = ?', [id]);
  const couponById = async (q: SqlClient, id: string) => q.get<Row>('SELECT * FROM Coupon WHERE id = ?', [id]);

  const reserve = (input: { stockId: string; customerId: string; idempotencyKey: string; now: Date }) =>
    sql.transaction(async (tx): Promise<ReserveResult> => {
      // The stock row is held first, so reservations of one stock run one after another (on
      // PostgreSQL; SQLite's transaction holds the write lock already): the budget and the cap
      // are checked against what the one before committed, and a retry finds its coupon below.
      const row = await tx.get<Row>(`SELECT * FROM CouponStock WHERE id = ?${forUpdate(tx.dialect)}`, [input.stockId]);
      const existing = await tx.get<Row>('SELECT * FROM Coupon WHERE idempotencyKey = ?', [input.idempotencyKey]);
      if (existing) {
        const coupon = couponOf(existing);
        return { kind: 'existing', coupon, stock: stockOf((await stockById(tx, coupon.stockId)) as Row) };
      }
      if (!row)
        return { kind: 'rejected', reason: 'unknownStock', message: `coupon stock "${input.stockId}" does not exist` };
      const stock = stockOf(row);
      const t = input.now.getTime();
      if (stock.issued >= stock.maxCoupons)
        return {
          kind: 'rejected',
          reason: 'exhausted',
          message: `coupon stock "${stock.id}" budget of ${stock.maxCoupons} is used up`,
        };
      if (stock.status !== 'active')
        return { kind: 'rejected', reason: 'notActive', message: `coupon stock "${stock.id}" is ${stock.status}` };
      if (t < stock.validFrom.getTime())
        return {
          kind: 'rejected',
          reason: 'notStarted',
          message: `coupon stock "${stock.id}" starts at ${stock.validFrom.toISOString()}`,
        };
      if (t >= stock.validTo.getTime())
        return {
          kind: 'rejected',
          reason: 'ended',
          message: `coupon stock "${stock.id}" ended at ${stock.validTo.toISOString()}`,
        };
      // Pending reservations count against the cap too: they are coupons being issued.
      const heldRow = await tx.get<Row>(
        "SELECT count(*) AS n FROM Coupon WHERE stockId = ? AND customerId = ? AND status <> 'expired'",
        [stock.id, input.customerId],
      );
      const held = Number(heldRow?.n ?? 0);
      if (held >= stock.maxPerCustomer)
        return {
          kind: 'rejected',
          reason: 'capReached',
          message: `customer already holds ${held} coupon(s) of stock "${stock.id}" (limit ${stock.maxPerCustomer})`,
        };
      const id = `cpn_${randomUUID().replaceAll('-', '')}`;
      const inserted = await tx.get<Row>(
        `INSERT INTO Coupon (id, stockId, customerId, idempotencyKey, providerCouponId, status, issuedAt)
         VALUES (?, ?, ?, ?, NULL, 'pending', ?) RETURNING *`,
        [id, stock.id, input.customerId, input.idempotencyKey, iso(input.now)],
      );
      const counted = await tx.get<Row>(
        `UPDATE CouponStock SET issued = issued + 1,
           status = CASE WHEN issued + 1 >= maxCoupons THEN 'exhausted' ELSE status END
         WHERE id = ? RETURNING *`,
        [stock.id],
      );
      return { kind: 'reserved', coupon: couponOf(inserted as Row), stock: stockOf(counted as Row) };
    });

  return {
    reserveCoupon: async (input) => reserve(input),
    confirmCoupon: async (couponId, providerCouponId) => {
      await sql.run("UPDATE Coupon SET providerCouponId = ?, status = 'sent' WHERE id = ? AND status = 'pending'", [
        providerCouponId,
        couponId,
      ]);
      const row = await couponById(sql, couponId);
      if (!row) throw new Error(`coupon ${couponId} disappeared while confirming`);
      return couponOf(row);
    },
    releaseCoupon: (couponId) =>
      sql.transaction(async (tx) => {
        // Only a reservation never confirmed is released; the delete decides it, once.
        const released = await tx.get<Row>("DELETE FROM Coupon WHERE id = ? AND status = 'pending' RETURNING stockId", [
          couponId,
        ]);
        if (!released) return;
        await tx.run(
          `UPDATE CouponStock SET issued = issued - 1,
             status = CASE WHEN status = 'exhausted' THEN 'active' ELSE status END
           WHERE id = ?`,
          [String(released.stockId)],
        );
      }),
    findCoupon: async (by) => {
      const row =
        'id' in by
          ? await couponById(sql, by.id)
          : await sql.get<Row>(
              'SELECT c.* FROM Coupon c JOIN CouponStock s ON s.id = c.stockId WHERE s.provider = ? AND c.providerCouponId = ?',
              [by.provider, by.providerCouponId],
            );
      return row ? couponOf(row) : null;
    },
    markCouponUsed: (input) =>
      sql.transaction(async (tx) => {
        const changed =
          (
            await tx.run(
              "UPDATE Coupon SET status = 'used', usedAt = ?, orderId = ? WHERE id = ? AND status IN ('sent', 'pending')",
              [iso(input.usedAt), input.orderId, input.couponId],
            )
          ).changes > 0;
        const row = await couponById(tx, input.couponId);
        return row ? { coupon: couponOf(row), changed } : null;
      }),
    // One statement: of two expiry runs (two workers) each coupon is returned by the one that expired it.
    expireCoupons: async (now) =>
      (
        await sql.all<Row>(
          `UPDATE Coupon SET status = 'expired'
           WHERE status = 'sent' AND stockId IN (SELECT id FROM CouponStock WHERE validTo <= ?)
           RETURNING *`,
          [iso(now)],
        )
      ).map(couponOf),
    insertStock: async (stock) => {
      const row = await sql.get<Row>(
        `INSERT INTO CouponStock (id, name, provider, providerStockId, maxCoupons, maxPerCustomer, issued, amountCents,
           minimumCents, validFrom, validTo, status, createdAt)
         VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 'active', ?) RETURNING *`,
        [
          stock.id,
          stock.name,
          stock.provider,
          stock.providerStockId,
          stock.maxCoupons,
          stock.maxPerCustomer,
          stock.amountCents,
          stock.minimumCents,
          iso(stock.validFrom),
          iso(stock.validTo),
          iso(new Date()),
        ],
      );
      return stockOf(row as Row);
    },
    getStock: async (id) => {
      const row = await stockById(sql, id);
      return row ? stockOf(row) : null;
    },
  };
}

const CouponsEnvSchema = z.object({
  WECHATPAY_MCHID: z.string().min(1).optional(),
  WECHATPAY_APPID: z.string().min(1).optional(),
  WECHATPAY_SERIAL_NO: z.string().min(1).optional(),
  /** PEM text of the merchant API private key (apiclient_key.pem). */
  WECHATPAY_PRIVATE_KEY: z.string().min(1).optional(),
  WECHATPAY_APIV3_KEY: z.string().length(32, { message: 'the APIv3 key is 32 characters' }).optional(),
  /** PEM public key of the WeChat Pay platform certificate; when set, notices must be signed by it. */
  WECHATPAY_PLATFORM_PUBLIC_KEY: z.string().min(1).optional(),
  WECHATPAY_BASE_URL: HttpUrlSchema.optional(),
});

/** Provider settings from the environment; the sandbox always, WeChat Pay when fully configured. */
export function couponProvidersFromEnv(env: Env): Pick<CouponsServerDeps, 'providers' | 'wechatpayNotify'> {
  const what = 'coupon configuration';
  const e = parseEnv(CouponsEnvSchema, env, {
    what,
    secrets: ['WECHATPAY_PRIVATE_KEY', 'WECHATPAY_APIV3_KEY'],
  });
  const providers: Partial<Record<CouponProviderName, CouponProvider>> = { sandbox: sandboxCouponProvider() };
  const needed = [
    'WECHATPAY_MCHID',
    'WECHATPAY_APPID',
    'WECHATPAY_SERIAL_NO',
    'WECHATPAY_PRIVATE_KEY',
    'WECHATPAY_APIV3_KEY',
  ] as const;
  if (needed.every((k) => !e[k])) return { providers };
  requireVariables(e, needed, 'WeChat Pay needs all five or none', { what });
  providers.wechatpay = wechatPayCouponProvider({
    mchid: e.WECHATPAY_MCHID as string,
    appid: e.WECHATPAY_APPID as string,
    serialNo: e.WECHATPAY_SERIAL_NO as string,
    privateKey: e.WECHATPAY_PRIVATE_KEY as string,
    baseUrl: e.WECHATPAY_BASE_URL,
  });
  return {
    providers,
    wechatpayNotify: { apiV3Key: e.WECHATPAY_APIV3_KEY as string, platformPublicKey: e.WECHATPAY_PLATFORM_PUBLIC_KEY },
  };
}

export function createCouponsServices(deps: {
  db: Pick<AppDatabase, 'sql'>;
  clock: Clock;
  logger: Logger;
  /** Override the environment (tests, or a server that reads settings elsewhere). */
  providers?: Pick<CouponsServerDeps, 'providers' | 'wechatpayNotify'>;
  env?: Record<string, string | undefined>;
}): CouponsServerDeps {
  const providers = deps.providers ?? couponProvidersFromEnv(deps.env ?? process.env);
  deps.logger.debug({ providers: Object.keys(providers.providers) }, 'coupon providers');
  return { store: createCouponStore(deps.db), ...providers };
}
