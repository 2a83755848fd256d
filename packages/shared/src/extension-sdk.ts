import type { CredentialReader } from './credentials.ts';
import type { EffectCalls } from './effect-call.ts';
import type { ExecutorContext } from './node-sdk.ts';
import type { ServerNodePackage } from './server-sdk.ts';

// What the runtime hands the server half of a discovered (third-party) node package. Built-in
// packages get typed services over the runtime's tables; a third-party package gets these generic
// ones instead, so it never depends on the database schema (which changes with every migration)
// and cannot read another package's data. This is an API boundary, not a sandbox: the package
// runs in the same process.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Reads and writes inside one storage transaction. Every call is synchronous: the whole function
 * given to `transaction` runs atomically, serialised with every other transaction that reads the
 * same keys (other steps of the same batch, other processes on the same database).
 */
export interface StorageTransaction {
  get<T extends JsonValue = JsonValue>(key: string): T | undefined;
  set(key: string, value: JsonValue): void;
  /** Returns whether the key existed. */
  delete(key: string): boolean;
}

/**
 * A package's own key-value store (keys up to 200 characters, JSON values up to 64 KiB). Keyed by
 * the step's idempotency key it makes an effect exactly-once: see `once`.
 *
 * Do not key records by customer id or store personal data: erasing a customer does not reach
 * extension records.
 */
export interface ExtensionStorage {
  get<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined>;
  /**
   * Runs `fn` atomically. `fn` must be synchronous (no await inside): it holds the keys it reads.
   * It may run more than once (again after the first read of each key not loaded yet); only its
   * last run's writes are stored, so do nothing in it but read and write `tx`.
   */
  transaction<T>(fn: (tx: StorageTransaction) => T): Promise<T>;
  /**
   * The value stored under `key`, or — the first time — the value `compute` returns, stored in the
   * same transaction as whatever `compute` wrote. A retried step that calls `once` with its
   * idempotency key gets the first attempt's result and repeats none of its writes.
   * `compute` may run more than once, as `transaction`'s function may.
   */
  once<T extends JsonValue>(
    key: string,
    compute: (tx: StorageTransaction) => T,
  ): Promise<{ value: T; created: boolean }>;
}

/** A structured logger (pino-compatible): fields first, then the message. */
export interface ExtensionLogger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

export interface ExtensionDeps {
  /** The package's NodePackage name: also its storage namespace and webhook mount (/webhooks/<name>). */
  packageName: string;
  /** Epoch milliseconds. Simulations and tests move it by hand: never read Date.now() for decisions. */
  clock: { now(): number };
  /** Already tagged with the package name. */
  logger: ExtensionLogger;
  /** The process environment, for the package's own settings (API keys, endpoints). */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * The global fetch; tests of the host may point it at local fakes. In a simulation it refuses
   * every request (the promise rejects, naming the package and the URL).
   */
  fetch: typeof fetch;
  storage: ExtensionStorage;
  /** The package's stored credentials (decrypted), by the id a node's `credentialField` holds. */
  credentials: CredentialReader;
  /**
   * True when the package is built for a simulation (the editor's test runs): reach no real service
   * and return what the service would plausibly answer instead, as the built-in sandboxes do;
   * record a message it would have sent with `sandboxInbox` so the simulation shows it.
   */
  sandbox: boolean;
  /** Where to record what would have been sent when `sandbox` is true (or no account is configured). */
  sandboxInbox: SandboxInbox;
  /**
   * Network calls made once per step even across crashes: claim → call → mark, with the
   * provider's answer stored (in a namespace apart from `storage`). See effect-call.ts.
   */
  effects: EffectCalls;
}

/** A message a node would have sent, for the sandbox inbox and the editor's simulation view. */
export interface SandboxMessage {
  /** Who would have received it (a phone number, a chat id, an address). */
  to: string;
  /** What they would have received, as they would see it (up to 2000 characters). */
  content: string;
  /**
   * Shown as the message's channel; default the package name. Lower-case letters, digits, ".", "-".
   * Name a built-in channel ("sms") only for the same kind of message: frequency caps count it.
   */
  channel?: string;
  /** Distinguishes several messages of one step (default one per step: a retry records nothing new). */
  part?: string;
}

/** The step a sandbox message belongs to: pass the executor's context. */
export type SandboxStep = Pick<ExecutorContext<unknown>, 'idempotencyKey' | 'journey' | 'nodeId' | 'customer' | 'now'>;

export interface SandboxInbox {
  /**
   * Records what the node would have sent instead of sending it (in a simulation, or when no
   * account is configured): the editor's simulation panel lists it with the built-in SMS, WeCom
   * and coupon records, and the sandbox inbox (沙箱消息) shows it. Once per step (and `part`).
   */
  record(step: SandboxStep, message: SandboxMessage): Promise<void>;
}

/** What a discovered package's `./server` entry exports (as `createServerPackage` or default). */
export type ServerPackageFactory = (deps: ExtensionDeps) => ServerNodePackage;

/** Identity: exists so a package's factory is typed against ExtensionDeps without annotations. */
export function defineServerPackage(factory: ServerPackageFactory): ServerPackageFactory {
  return factory;
}
