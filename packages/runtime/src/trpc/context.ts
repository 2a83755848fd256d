import type { CouponsServerDeps } from '@siyu/nodes-coupons/server';
import type { NodeRegistry } from '@siyu/shared';
import type { LoginLimits } from '../auth/login-throttle.ts';
import type { Principal } from '../auth/principal.ts';
import type { CredentialStore } from '../credentials/store.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { Database } from '../db/database.ts';
import type { Clock, JourneyEngine } from '../engine/api.ts';
import type { WecomAdmin } from '../node-packages/wecom-admin.ts';

/** Everything a procedure may use; built per request by the HTTP adapter, or by tests directly. */
export interface ServerDeps {
  db: AppDatabase;
  engine: JourneyEngine;
  registry: NodeRegistry;
  clock: Clock;
  /** Base URL for tracked links and QR codes, e.g. http://localhost:3000 (no trailing slash). */
  publicUrl: string;
  /**
   * Builds an engine over another database and a simulated clock, for test runs in a scratch
   * database (absent = test runs not supported).
   */
  createSimulation?: (db: Database, clock: Clock) => JourneyEngine;
  /** Live codes and handover (absent: the sandbox over `db`). */
  wecomAdmin?: WecomAdmin;
  /** Coupon stores and providers (absent: the sandbox over `db`). */
  coupons?: CouponsServerDeps;
  /** Stored credentials (absent: the store over `db`, key from the environment or the data folder). */
  credentials?: CredentialStore;
  /** Sign-in throttling limits (absent: DEFAULT_LOGIN_LIMITS). */
  loginLimits?: LoginLimits;
}

export type { Principal };

export interface Context extends ServerDeps {
  principal: Principal | null;
  /** Session cookie plumbing; no-ops outside HTTP. */
  setSessionCookie(token: string, expiresAt: Date): void;
  clearSessionCookie(): void;
  sessionToken: string | null;
  /** The client's address over HTTP (behind a proxy, as `trust proxy` resolves it); absent outside HTTP. */
  requestIp?: string;
  /** Sets a response header over HTTP (Retry-After on a throttled sign-in); absent outside HTTP. */
  setResponseHeader?(name: string, value: string): void;
  /** The HTTP request's id (X-Request-Id), quoted in error bodies; absent outside HTTP. */
  requestId?: string;
}

/** A context for createCaller in tests and the CLI: acts as the given principal. */
export function createContext(deps: ServerDeps, principal: Principal | null = null): Context {
  return {
    ...deps,
    principal,
    sessionToken: null,
    setSessionCookie: () => {},
    clearSessionCookie: () => {},
  };
}
