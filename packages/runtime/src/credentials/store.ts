// Stored credentials: encrypted at rest (cipher.ts), validated with their type's schema, listed
// without secret values. The store is the only place that decrypts; executors get values through
// `reader`, the API through `list` (secret fields answered as `{ set: true }`).
import { randomUUID } from 'node:crypto';
import {
  type ApiErrorDetail,
  apiErrorDetail,
  apiErrorText,
  CredentialError,
  type CredentialReader,
  type CredentialType,
  formatPath,
  type NodePackage,
  type NodeRegistry,
  secretKeysOf,
} from '@siyu/shared';
import type { AppDatabase } from '../db/app-database.ts';
import { CredentialDecryptError, openPayload, sealPayload } from './cipher.ts';
import { type CredentialKeys, credentialKeysFor } from './keys.ts';

/** A bad request to the store: `code` for programs, `issues` name the field. */
export class CredentialInputError extends Error {
  constructor(
    readonly code: 'unknownType' | 'invalidFields' | 'notFound' | 'inUse',
    readonly detail: ApiErrorDetail,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    // The English words, with the fields named, for the log and API clients.
    super([apiErrorText(detail)?.en ?? detail.key, ...issues.map((i) => `${i.path}: ${i.message}`)].join('; '));
    this.name = 'CredentialInputError';
  }
}

/** A secret field in what the API answers: whether it has a value, never the value. */
export interface SecretState {
  set: boolean;
}

export interface CredentialSummary {
  id: string;
  type: string;
  name: string;
  /** Non-secret fields with their values; secret fields as `{ set }`. Empty when unreadable. */
  fields: Record<string, unknown>;
  /** The payload could not be decrypted (key missing) or its type is no longer installed. */
  problem?: 'unreadable' | 'unknownType';
  createdAt: Date;
  updatedAt: Date;
  createdBy: string | null;
  updatedBy: string | null;
}

/** Every credential type the installed node packages declare, by type name. */
export function credentialTypesOf(registry: NodeRegistry): Map<string, CredentialType> {
  const out = new Map<string, CredentialType>();
  for (const pkg of registry.packages) for (const type of pkg.credentialTypes ?? []) out.set(type.type, type);
  return out;
}

function isSecretState(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'set' in value;
}

function parseFields(type: CredentialType, fields: Record<string, unknown>): Record<string, unknown> {
  const parsed = type.schema.safeParse(fields);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  throw new CredentialInputError('invalidFields', apiErrorDetail('credentials.invalidFields'), issues);
}

type Row = { id: string; type: string; payload: string; keyId: string };

/**
 * The store over a database; its key comes from `env` (CREDENTIALS_KEY, CREDENTIALS_KEY_PREVIOUS)
 * or the key file next to the database. Resolved on first use, so building the store never fails.
 */
export function createCredentialStore(
  db: AppDatabase,
  env: Readonly<Record<string, string | undefined>> = process.env,
) {
  // The generated key file lives beside a SQLite file; on PostgreSQL the key comes from the environment.
  const keys = (): CredentialKeys => {
    if (db.dialect === 'sqlite') return credentialKeysFor(db.path, env);
    if (!env.CREDENTIALS_KEY) {
      throw new Error(
        'on PostgreSQL set CREDENTIALS_KEY (the generated key file is kept only beside a SQLite database)',
      );
    }
    return credentialKeysFor('', env);
  };
  const decrypt = (row: Row) => JSON.parse(openPayload(keys(), row)) as Record<string, unknown>;

  const summarize = (
    row: Row & { name: string; createdAt: Date; updatedAt: Date; createdBy: string | null; updatedBy: string | null },
    types: Map<string, CredentialType>,
  ): CredentialSummary => {
    const base = {
      id: row.id,
      type: row.type,
      name: row.name,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      createdBy: row.createdBy,
      updatedBy: row.updatedBy,
    };
    const type = types.get(row.type);
    if (!type) return { ...base, fields: {}, problem: 'unknownType' };
    let values: Record<string, unknown>;
    try {
      values = decrypt(row);
    } catch (error) {
      if (error instanceof CredentialDecryptError) return { ...base, fields: {}, problem: 'unreadable' };
      throw error;
    }
    const secrets = new Set(secretKeysOf(type.schema));
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(type.schema.shape)) {
      fields[key] = secrets.has(key) ? { set: values[key] !== undefined && values[key] !== '' } : values[key];
    }
    return { ...base, fields };
  };

  const reader: CredentialReader = {
    async get(type, id) {
      const row = await db.prisma.credential.findUnique({ where: { id } });
      if (!row) throw new CredentialError(`凭据 ${id} 不存在 credential ${id} does not exist`, 'credentialMissing');
      if (row.type !== type.type) {
        throw new CredentialError(
          `凭据 ${id} 的类型是 ${row.type}，需要 ${type.type} / credential ${id} is a ${row.type}, not a ${type.type}`,
          'credentialWrongType',
        );
      }
      let values: Record<string, unknown>;
      try {
        values = decrypt(row);
      } catch (error) {
        throw new CredentialError((error as Error).message, 'credentialUnreadable');
      }
      const parsed = type.schema.safeParse(values);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => formatPath(i.path)).join(', ');
        throw new CredentialError(
          `credential ${id} no longer fits type ${type.type} (${fields})`,
          'credentialUnreadable',
        );
      }
      return parsed.data as never;
    },
  };

  return {
    reader,

    async list(registry: NodeRegistry, filter: { type?: string } = {}): Promise<CredentialSummary[]> {
      const types = credentialTypesOf(registry);
      const rows = await db.prisma.credential.findMany({
        where: filter.type ? { type: filter.type } : {},
        orderBy: [{ type: 'asc' }, { name: 'asc' }],
      });
      return rows.map((row) => summarize(row, types));
    },

    async get(registry: NodeRegistry, id: string): Promise<CredentialSummary> {
      const row = await db.prisma.credential.findUnique({ where: { id } });
      if (!row)
        throw new CredentialInputError('notFound', apiErrorDetail('common.notFound', { what: 'credential', id }));
      return summarize(row, credentialTypesOf(registry));
    },

    async create(
      registry: NodeRegistry,
      input: { type: string; name: string; fields: Record<string, unknown> },
      options: { by?: string; now: Date },
    ): Promise<CredentialSummary> {
      const types = credentialTypesOf(registry);
      const type = types.get(input.type);
      if (!type) {
        throw new CredentialInputError('unknownType', apiErrorDetail('credentials.unknownType', { type: input.type }), [
          { path: 'type', message: `unknown credential type ${input.type}` },
        ]);
      }
      const values = parseFields(type, input.fields);
      const id = `cred_${randomUUID()}`;
      const row = await db.prisma.credential.create({
        data: {
          id,
          type: type.type,
          name: input.name,
          ...sealPayload(keys(), { id, type: type.type }, JSON.stringify(values)),
          setFields: JSON.stringify(Object.keys(values)),
          createdAt: options.now,
          updatedAt: options.now,
          createdBy: options.by ?? null,
          updatedBy: options.by ?? null,
        },
      });
      return summarize(row, types);
    },

    /**
     * Changes the name and/or fields. A secret field left out (or sent back as `{ set: true }`, or
     * empty) keeps its stored value, so an edit form never needs the secret it cannot see.
     */
    async update(
      registry: NodeRegistry,
      input: { id: string; name?: string; fields?: Record<string, unknown> },
      options: { by?: string; now: Date },
    ): Promise<{ credential: CredentialSummary; changedFields: string[] }> {
      const types = credentialTypesOf(registry);
      const row = await db.prisma.credential.findUnique({ where: { id: input.id } });
      if (!row)
        throw new CredentialInputError(
          'notFound',
          apiErrorDetail('common.notFound', { what: 'credential', id: input.id }),
        );
      const type = types.get(row.type);
      if (!type) {
        throw new CredentialInputError(
          'unknownType',
          apiErrorDetail('credentials.typeNotInstalled', { type: row.type }),
        );
      }
      let changedFields: string[] = [];
      let sealed = {};
      if (input.fields) {
        let stored: Record<string, unknown> = {};
        try {
          stored = decrypt(row);
        } catch (error) {
          // Unreadable (key lost): the form must then give every secret again, which parse enforces.
          if (!(error instanceof CredentialDecryptError)) throw error;
        }
        const next: Record<string, unknown> = { ...input.fields };
        for (const key of secretKeysOf(type.schema)) {
          const given = next[key];
          if (given === undefined || given === '' || isSecretState(given)) {
            if (stored[key] === undefined) delete next[key];
            else next[key] = stored[key];
          }
        }
        const values = parseFields(type, next);
        changedFields = Object.keys(type.schema.shape).filter(
          (key) => JSON.stringify(values[key]) !== JSON.stringify(stored[key]),
        );
        sealed = {
          ...sealPayload(keys(), { id: row.id, type: row.type }, JSON.stringify(values)),
          setFields: JSON.stringify(Object.keys(values)),
        };
      }
      const updated = await db.prisma.credential.update({
        where: { id: row.id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...sealed,
          updatedAt: options.now,
          updatedBy: options.by ?? null,
        },
      });
      return { credential: summarize(updated, types), changedFields };
    },

    /** Deletes a credential no draft or live version refers to (those would fail at run time). */
    async delete(id: string): Promise<{ id: string; type: string; name: string }> {
      const row = await db.prisma.credential.findUnique({ where: { id } });
      if (!row)
        throw new CredentialInputError('notFound', apiErrorDetail('common.notFound', { what: 'credential', id }));
      const journeys = await db.prisma.journey.findMany({
        where: { status: { not: 'archived' } },
        select: { name: true, draft: true, liveVersionId: true },
      });
      const liveIds = journeys.map((j) => j.liveVersionId).filter((v): v is string => v !== null);
      const liveUsing = new Set(
        (
          await db.prisma.journeyVersion.findMany({
            where: { id: { in: liveIds }, graph: { contains: id } },
            select: { id: true },
          })
        ).map((v) => v.id),
      );
      const users = journeys.filter((j) => j.draft.includes(id) || (j.liveVersionId && liveUsing.has(j.liveVersionId)));
      if (users.length) {
        const names = users.map((j) => `「${j.name}」`).join('、');
        throw new CredentialInputError('inUse', apiErrorDetail('credentials.inUse', { journeys: names }));
      }
      await db.prisma.credential.delete({ where: { id } });
      return { id: row.id, type: row.type, name: row.name };
    },

    /**
     * Re-encrypts every record with the current key (after CREDENTIALS_KEY changed and the old key
     * is CREDENTIALS_KEY_PREVIOUS). Records that do not decrypt are reported, not touched.
     */
    async rotate(): Promise<{ rotated: number; current: number; failed: Array<{ id: string; error: string }> }> {
      const k = keys();
      const rows = await db.prisma.credential.findMany();
      let rotated = 0;
      let current = 0;
      const failed: Array<{ id: string; error: string }> = [];
      for (const row of rows) {
        if (row.keyId === k.current.id) {
          current++;
          continue;
        }
        try {
          const plaintext = openPayload(k, row);
          await db.prisma.credential.update({
            where: { id: row.id, keyId: row.keyId },
            data: sealPayload(k, row, plaintext),
          });
          rotated++;
        } catch (error) {
          failed.push({ id: row.id, error: (error as Error).message });
        }
      }
      return { rotated, current, failed };
    },
  };
}
export type CredentialStore = ReturnType<typeof createCredentialStore>;

/**
 * The reader a third-party package gets: only the credential types it declares itself, so one
 * package cannot read another's accounts by guessing their ids.
 */
export function scopeCredentials(reader: CredentialReader, pkg: NodePackage): CredentialReader {
  const own = new Set((pkg.credentialTypes ?? []).map((t) => t.type));
  return {
    get(type, id) {
      if (!own.has(type.type)) {
        return Promise.reject(
          new CredentialError(
            `node package ${pkg.name} did not declare credential type ${type.type} (NodePackage.credentialTypes)`,
            'credentialWrongType',
          ),
        );
      }
      return reader.get(type, id);
    },
  };
}
