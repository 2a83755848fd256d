// The one environment-variable parser: start-up config and every provider's settings read their
// variables through it, so an empty variable counts as unset everywhere and every error names the
// variable the same way (`PORT="eighty": …`, secrets as `(hidden)`).
import { formatPath } from '@siyu/shared';
import type { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** Bad environment variables, one problem per line; start-up prints the message without a stack. */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    what = 'configuration',
  ) {
    super(`invalid ${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface EnvOptions {
  /** What the variables configure, for the message: `invalid SMS configuration`. */
  what?: string;
  /** Variables whose value a message must not repeat (keys, passwords). */
  secrets?: readonly string[];
}

/**
 * Reads the schema's variables from `env` (empty = unset) and validates them; throws ConfigError
 * naming every bad variable with its value (or `(hidden)` for secrets) and what is wrong.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env, options: EnvOptions = {}): z.output<S> {
  const relevant: Env = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, env[key] || undefined]));
  const result = schema.safeParse(relevant);
  if (result.success) return result.data;
  const secrets = new Set(options.secrets);
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const value = secrets.has(name) ? '(hidden)' : JSON.stringify(relevant[name] ?? '');
      return `${formatPath(issue.path)}=${value}: ${issue.message}`;
    }),
    options.what,
  );
}

/**
 * Throws ConfigError naming each of `names` that has no value, with why it is needed (e.g.
 * `SMS_PROVIDER=aliyun needs it`).
 */
export function requireVariables(
  values: Record<string, unknown>,
  names: readonly string[],
  why: string,
  options: Pick<EnvOptions, 'what'> = {},
): void {
  const missing = names.filter((name) => !values[name]);
  if (missing.length > 0)
    throw new ConfigError(
      missing.map((name) => `${name}: must be set (${why})`),
      options.what,
    );
}
