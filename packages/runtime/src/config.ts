import { resolve } from 'node:path';
import { HttpUrlSchema } from '@siyu/shared';
import { z } from 'zod';
import { CredentialKeyTextSchema } from './credentials/keys.ts';
import { ConfigError, type Env, parseEnv } from './env.ts';
import { DEFAULT_HEAP_MB } from './heap-cap.ts';
import { DEFAULT_PROVIDER_RATE_LIMITS, ProviderRateLimitsSchema } from './node-packages/provider-rate-limits.ts';

export { ConfigError };

/** The process roles SIYU_ROLE accepts. */
export const SIYU_ROLES = ['all', 'web', 'worker'] as const;
export type SiyuRole = (typeof SIYU_ROLES)[number];

/** Where the repository root is, so the default database lands in <repo>/.data whatever the cwd. */
const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * Configuration from environment variables, validated at start-up. Every default is the embedded
 * one: a SQLite file, sandbox providers, example journeys loaded.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_PATH: z
    .string()
    .min(1)
    .default(resolve(REPO_ROOT, '.data', 'siyu.db')),
  /**
   * PostgreSQL, the scale-out backend (`postgresql://user:password@host:5432/siyu`): when set it
   * is the database, and DATABASE_PATH is not used. Unset: the embedded SQLite file.
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Public base URL used in tracked links and QR codes. */
  PUBLIC_URL: HttpUrlSchema.optional(),
  /** Password for the first admin; if unset one is generated and printed once. */
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  LOAD_EXAMPLES: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /**
   * Express `trust proxy` behind a TLS-terminating proxy (nginx): `true`, a hop count, or the
   * proxy's addresses/subnets (`loopback`, `10.0.0.0/8`, comma-separated). Unset: no proxy trusted.
   * Prefer `1` or the proxy's address: with `true` the left-most X-Forwarded-For entry, which the
   * client writes itself, becomes req.ip, so the per-address sign-in and link limits can be dodged.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^[\w.:/, -]+$/, 'must be true, false, a hop count, or proxy addresses/subnets')
    .optional()
    .transform((v) => {
      if (v === undefined || v === 'false') return undefined;
      if (v === 'true') return true;
      return /^\d+$/.test(v) ? Number(v) : v;
    }),
  /** Requests per minute per client address on tracked links (/r/*). */
  RATE_LIMIT_LINKS_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Requests per minute per client address on provider callbacks (/webhooks/*). */
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: z.coerce.number().int().positive().default(3000),
  /**
   * Key credentials are encrypted with (32 bytes, base64 or hex). Unset: a key is generated into
   * credentials.key next to the database file (fine for one machine; production sets this).
   */
  CREDENTIALS_KEY: CredentialKeyTextSchema.optional(),
  /** The key before a rotation, still accepted for reading until `cli credentials rotate` ran. */
  CREDENTIALS_KEY_PREVIOUS: CredentialKeyTextSchema.optional(),
  EDITOR_DIST: z.string().default(resolve(REPO_ROOT, 'packages', 'editor', 'dist')),
  /** Folder of examples/<name>/journey.json loaded on start when LOAD_EXAMPLES is on. */
  EXAMPLES_DIR: z.string().default(resolve(REPO_ROOT, 'examples')),
  /**
   * What this process does (see docs/deploy.md): `all` (one process: editor, API and engine),
   * `web` (editor, API, webhooks, tracked links; never runs timers or the outbox) or `worker`
   * (timers, outbox, audience runs, package jobs; serves only /health, /ready and /metrics).
   */
  SIYU_ROLE: z.enum(SIYU_ROLES).default('all'),
  /**
   * Bearer token /metrics requires (`Authorization: Bearer <token>`). Unset: /metrics answers only
   * requests from the machine itself (loopback), so a public port never shows it.
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** /ready answers 503 when the engine is further behind than this (oldest due timer or effect). */
  READY_MAX_LAG_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * Provider calls allowed per period, shared by every worker (PostgreSQL) — comma-separated
   * `provider=calls/period`, period s, min or h, e.g. `sms=100/s,wecom=10000/min`; empty for none.
   */
  PROVIDER_RATE_LIMITS: ProviderRateLimitsSchema.prefault(DEFAULT_PROVIDER_RATE_LIMITS),
  /**
   * PostgreSQL: how long a worker's claim on a side effect holds before another worker may take it
   * over (a worker that died). Longer than any provider call with its retries and rate-limit wait.
   */
  EFFECT_LEASE_MS: z.coerce.number().int().min(5_000).max(3_600_000).default(300_000),
  /**
   * The JS heap's cap in MB, read by the start scripts (`node --max-old-space-size`, package.json);
   * checked here too so that a value node accepts but the server cannot live in stops start-up
   * with this name rather than an out-of-memory crash under the first big report.
   */
  SIYU_HEAP_MB: z.coerce.number().int().min(256, 'must be at least 256 (MB)').default(DEFAULT_HEAP_MB),
  /**
   * Days a finished (done or skipped) outbox row is kept before the engine deletes it; 0 keeps them
   * all. The step log, which the timeline and reports read, is not touched.
   */
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** On SIGTERM/SIGINT: how long in-flight work may take to finish before the process gives up. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Variables whose value an error message must not repeat. */
const SECRET_VARIABLES = [
  'ADMIN_PASSWORD',
  'CREDENTIALS_KEY',
  'CREDENTIALS_KEY_PREVIOUS',
  'DATABASE_URL',
  'METRICS_TOKEN',
];

/** Reads the config from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const config = parseEnv(ConfigSchema, env, { secrets: SECRET_VARIABLES });
  // A worker's executors write tracked links into messages; without PUBLIC_URL they would point at
  // the worker's own port, which serves no links.
  if (config.SIYU_ROLE === 'worker' && !config.PUBLIC_URL)
    throw new ConfigError([
      "PUBLIC_URL: must be set when SIYU_ROLE=worker (the web processes' address: links in messages point there)",
    ]);
  return config;
}

/** Which database the config selects: DATABASE_URL (PostgreSQL) wins over DATABASE_PATH (SQLite). */
export type DatabaseSelection = { provider: 'postgresql'; url: string } | { provider: 'sqlite'; path: string };

export function selectedDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_PATH'>): DatabaseSelection {
  return config.DATABASE_URL
    ? { provider: 'postgresql', url: config.DATABASE_URL }
    : { provider: 'sqlite', path: config.DATABASE_PATH };
}
