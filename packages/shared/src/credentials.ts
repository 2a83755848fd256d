// Credentials in the node SDK: a package declares credential types (what an account with a
// third party consists of: a webhook URL and a signing secret, an app id and key…), a node's config
// names a stored credential by id, and the executor asks the runtime for the decrypted values. The
// secret values therefore never sit in journey JSON, versions, exports, logs or audit entries; the
// runtime stores them encrypted and never sends a secret field back to the browser.
// Anchor: n8n's credential types. Browser-safe: no Node APIs here.
import { z } from 'zod';
import type { LocalizedText } from './i18n.ts';
import { PermanentError } from './node-sdk.ts';
import { innerSchemaOf, resourceRef } from './resource-refs.ts';

/** Widget names the editor's form understands for credentials (see SchemaForm). */
export const SECRET_WIDGET = 'secret';
export const CREDENTIAL_WIDGET = 'credential';

/** Ids the runtime gives stored credentials: `cred_` and a random UUID. */
export const CREDENTIAL_ID_PATTERN = /^cred_[A-Za-z0-9-]{1,64}$/;
/** Type names: `<package>.<name>`, e.g. `core.webhookSigning`, `dingtalk.robot`. */
export const CREDENTIAL_TYPE_PATTERN = /^[a-z][A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

/**
 * A secret value inside a credential type's schema: shown as a password input, stored encrypted,
 * never returned to the browser (the API answers `{ set: true }` instead).
 *
 * @example
 * schema: z.object({ webhookUrl: HttpUrlSchema, secret: secretField({ label: t('加签密钥', 'Signing secret') }) })
 */
export function secretField(options: { label?: LocalizedText; maxLength?: number } = {}) {
  const max = options.maxLength ?? 4096;
  return z
    .string({ message: '请填写密钥 / enter the secret' })
    .min(1, { message: '请填写密钥 / enter the secret' })
    .max(max, { message: `密钥最长 ${max} 个字符 / the secret is at most ${max} characters` })
    .meta({ widget: SECRET_WIDGET, ...(options.label ? { label: options.label } : {}) });
}

/**
 * A node config field naming a stored credential of `type` (only the id is in the journey). The
 * editor shows a picker of the credentials of that type; publishing checks that it exists and has
 * that type; the executor reads it with `credentials.get(type, config.<field>)`.
 */
export function credentialField(type: string, options: { label?: LocalizedText } = {}) {
  // A credential is one kind of workspace resource: the same check as a coupon stock or a channel.
  return resourceRef(
    CREDENTIAL_RESOURCE_KIND,
    z
      .string({ message: '请选择凭据 / choose a credential' })
      .regex(CREDENTIAL_ID_PATTERN, { message: '请选择凭据 / choose a credential' })
      .meta({ widget: CREDENTIAL_WIDGET, credentialType: type, ...(options.label ? { label: options.label } : {}) }),
    { of: type },
  );
}

/** The resource kind of stored credentials (`of` is the credential type). */
export const CREDENTIAL_RESOURCE_KIND = 'credential';

// biome-ignore lint/suspicious/noExplicitAny: a credential type's schema is any object schema.
export type CredentialSchema = z.ZodObject<any>;

/** What a package declares: one kind of account with a third party, and the form to enter it. */
export interface CredentialType<TSchema extends CredentialSchema = CredentialSchema> {
  type: string;
  label: LocalizedText;
  description?: LocalizedText;
  /** Fields of the credential; mark the secret ones with `secretField()`. */
  schema: TSchema;
}

export type CredentialValues<C> = C extends CredentialType<infer S> ? z.output<S> : never;

/** Declares a credential type. Checks the type name; otherwise identity, for type inference. */
export function defineCredentialType<const TSchema extends CredentialSchema>(
  definition: CredentialType<TSchema>,
): CredentialType<TSchema> {
  if (!CREDENTIAL_TYPE_PATTERN.test(definition.type)) {
    throw new Error(`credential type "${definition.type}" must look like "<package>.<name>" (letters, digits, _ -)`);
  }
  return definition;
}

/** Reads `.meta()` through optional/default/nullable wrappers, where packages usually put it. */
function metaOf(schema: z.ZodType): Record<string, unknown> | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current && depth < 6; depth++) {
    const meta = current.meta() as Record<string, unknown> | undefined;
    if (meta?.widget) return meta;
    current = innerSchemaOf(current);
  }
  return undefined;
}

/** Keys of a credential type's secret fields (top level: credential schemas are flat forms). */
export function secretKeysOf(schema: CredentialSchema): string[] {
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => metaOf(field)?.widget === SECRET_WIDGET)
    .map(([key]) => key);
}

/** Why a credential could not be handed to an executor (no such credential, another type, unreadable). */
export class CredentialError extends PermanentError {
  constructor(message: string, code: 'credentialMissing' | 'credentialWrongType' | 'credentialUnreadable') {
    super(message, { code });
    this.name = 'CredentialError';
  }
}

/**
 * What the runtime gives a package's server half to read credentials. `get` answers the decrypted,
 * schema-parsed values; it throws CredentialError (a PermanentError: the step follows its failure
 * port) when the id is unknown or of another type. Do not log what it returns.
 */
export interface CredentialReader {
  get<C extends CredentialType>(type: C, id: string): Promise<CredentialValues<C>>;
}
