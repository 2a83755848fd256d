// The credential store on real SQLite: encryption at rest, the key file, rotation with the
// previous key, records bound to their id and type, lists without secret values.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CredentialError,
  createNodeRegistry,
  defineCredentialType,
  defineNodePackage,
  HttpUrlSchema,
  secretField,
  t,
} from '@siyu/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { credentialsRotateCommand } from '../cli/credentials-command.ts';
import { ConfigError, loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { cleanupAfterEach, scratchDatabase } from '../db/scratch-database.test-helper.ts';
import { credentialKeysFor, generatedKeyPath } from './keys.ts';
import { createCredentialStore, scopeCredentials } from './store.ts';

const robot = defineCredentialType({
  type: 'dingtalk.robot',
  label: t('钉钉机器人', 'DingTalk robot'),
  schema: z.object({ webhookUrl: HttpUrlSchema, secret: secretField() }),
});
const other = defineCredentialType({
  type: 'other.key',
  label: t('其他', 'Other'),
  schema: z.object({ key: secretField() }),
});
const pkg = defineNodePackage({ name: 'dingtalk', label: t('钉钉', 'DingTalk'), nodes: [], credentialTypes: [robot] });
const registry = createNodeRegistry([
  pkg,
  defineNodePackage({ name: 'other', label: t('其他', 'Other'), nodes: [], credentialTypes: [other] }),
]);
const SECRET = 'SEC0123456789abcdef-robot-secret';
const URL = 'https://oapi.dingtalk.com/robot/send?access_token=abc';
const now = new Date('2026-03-02T02:00:00Z');
const keyA = randomBytes(32).toString('base64');
const keyB = randomBytes(32).toString('hex');

const cleanups = cleanupAfterEach();
let db: Database;
beforeEach(async () => {
  db = await scratchDatabase('cred-store', cleanups);
});

const io = () => {
  const out = { out: '', err: '' };
  return {
    out,
    io: {
      out: (s: string) => {
        out.out += s;
      },
      err: (s: string) => {
        out.err += s;
      },
      progress: false,
    },
  };
};

describe('credential store', () => {
  it('stores fields encrypted, lists non-secret fields and only whether secrets are set, reads them back typed', async () => {
    const store = createCredentialStore(db, { CREDENTIALS_KEY: keyA });
    const created = await store.create(
      registry,
      { type: robot.type, name: '门店群', fields: { webhookUrl: URL, secret: SECRET } },
      { now },
    );
    expect(created.fields).toEqual({ webhookUrl: URL, secret: { set: true } });
    const row = await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(JSON.stringify(row)).not.toContain('oapi.dingtalk.com');
    expect(row.keyId).toBe(credentialKeysFor(db.path, { CREDENTIALS_KEY: keyA }).current.id);
    // A fresh IV per write: the same values encrypt differently.
    const again = await store.update(registry, { id: created.id, fields: { webhookUrl: URL } }, { now });
    expect(again.changedFields).toEqual([]);
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id: created.id } })).payload).not.toBe(row.payload);
    expect(await store.reader.get(robot, created.id)).toEqual({ webhookUrl: URL, secret: SECRET });
    await expect(store.reader.get(other, created.id)).rejects.toMatchObject({ code: 'credentialWrongType' });
    await expect(store.reader.get(robot, 'cred_nope')).rejects.toBeInstanceOf(CredentialError);
    expect(await store.list(registry, { type: 'other.key' })).toEqual([]);
  });

  it('an update without the secret keeps it; a new secret replaces it; bad fields name the field', async () => {
    const store = createCredentialStore(db, { CREDENTIALS_KEY: keyA });
    const { id } = await store.create(
      registry,
      { type: robot.type, name: 'n', fields: { webhookUrl: URL, secret: SECRET } },
      { now },
    );
    const moved = await store.update(
      registry,
      { id, fields: { webhookUrl: 'https://example.com/x', secret: '' } },
      { now },
    );
    expect(moved.changedFields).toEqual(['webhookUrl']);
    expect((await store.reader.get(robot, id)).secret).toBe(SECRET);
    const renewed = await store.update(registry, { id, fields: { webhookUrl: URL, secret: 'new-secret' } }, { now });
    expect(renewed.changedFields).toEqual(['webhookUrl', 'secret']);
    expect((await store.reader.get(robot, id)).secret).toBe('new-secret');
    await expect(
      store.update(registry, { id, fields: { webhookUrl: 'javascript:alert(1)' } }, { now }),
    ).rejects.toMatchObject({ code: 'invalidFields', issues: [expect.objectContaining({ path: 'webhookUrl' })] });
  });

  it('a payload copied onto another record does not decrypt (bound to id and type)', async () => {
    const store = createCredentialStore(db, { CREDENTIALS_KEY: keyA });
    const a = await store.create(
      registry,
      { type: robot.type, name: 'a', fields: { webhookUrl: URL, secret: SECRET } },
      { now },
    );
    const b = await store.create(
      registry,
      { type: robot.type, name: 'b', fields: { webhookUrl: URL, secret: 'b' } },
      { now },
    );
    const rowA = await db.prisma.credential.findUniqueOrThrow({ where: { id: a.id } });
    await db.prisma.credential.update({ where: { id: b.id }, data: { payload: rowA.payload } });
    await expect(store.reader.get(robot, b.id)).rejects.toMatchObject({ code: 'credentialUnreadable' });
    expect((await store.list(registry)).find((c) => c.id === b.id)).toMatchObject({
      problem: 'unreadable',
      fields: {},
    });
  });

  it('rotation: the previous key still reads, `credentials rotate` re-encrypts, then the old key can go', async () => {
    const { id } = await createCredentialStore(db, { CREDENTIALS_KEY: keyA }).create(
      registry,
      { type: robot.type, name: 'n', fields: { webhookUrl: URL, secret: SECRET } },
      { now },
    );
    // The new key alone cannot read the old record, and rotate says so without changing it.
    const onlyB = { CREDENTIALS_KEY: keyB };
    await expect(createCredentialStore(db, onlyB).reader.get(robot, id)).rejects.toMatchObject({
      code: 'credentialUnreadable',
    });
    const first = io();
    expect(await credentialsRotateCommand(db, first.io, onlyB)).toBe(1);
    expect(first.out.err).toContain('CREDENTIALS_KEY_PREVIOUS');

    const both = { CREDENTIALS_KEY: keyB, CREDENTIALS_KEY_PREVIOUS: keyA };
    expect((await createCredentialStore(db, both).reader.get(robot, id)).secret).toBe(SECRET);
    const second = io();
    expect(await credentialsRotateCommand(db, second.io, both)).toBe(0);
    expect(second.out.out).toContain('re-encrypted 1 credential(s)');
    expect(second.out.out + second.out.err).not.toContain(SECRET);
    expect((await createCredentialStore(db, onlyB).reader.get(robot, id)).secret).toBe(SECRET);
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id } })).keyId).toBe(
      credentialKeysFor(db.path, onlyB).current.id,
    );
  });

  it('without CREDENTIALS_KEY a key file is generated next to the database, mode 0600, once', async () => {
    const generated: string[] = [];
    const keys = credentialKeysFor(db.path, {}, (path) => generated.push(path));
    expect(generated).toEqual([generatedKeyPath(db.path)]);
    expect(generatedKeyPath(db.path)).toBe(join(dirname(db.path), 'credentials.key'));
    expect(statSync(generated[0] as string).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(generated[0] as string, 'utf8').trim(), 'base64')).toHaveLength(32);
    credentialKeysFor(db.path, {}, (path) => generated.push(path));
    expect(generated).toHaveLength(1);
    const store = createCredentialStore(db, {});
    const { id } = await store.create(
      registry,
      { type: robot.type, name: 'n', fields: { webhookUrl: URL, secret: SECRET } },
      { now },
    );
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id } })).keyId).toBe(keys.current.id);
  });

  it('a malformed key stops start-up naming the variable, without repeating its value', () => {
    const error = (() => {
      try {
        loadConfig({ CREDENTIALS_KEY: 'too-short-key-value' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('CREDENTIALS_KEY=(hidden): must be 32 random bytes');
    expect((error as Error).message).not.toContain('too-short-key-value');
    expect(loadConfig({ CREDENTIALS_KEY: keyA, CREDENTIALS_KEY_PREVIOUS: keyB }).CREDENTIALS_KEY).toBe(keyA);
  });

  it('a third-party package reads only the credential types it declares', async () => {
    const store = createCredentialStore(db, { CREDENTIALS_KEY: keyA });
    const theirs = await store.create(registry, { type: other.type, name: 'x', fields: { key: 'k' } }, { now });
    const mine = await store.create(
      registry,
      { type: robot.type, name: 'y', fields: { webhookUrl: URL, secret: 's' } },
      { now },
    );
    const scoped = scopeCredentials(store.reader, pkg);
    await expect(scoped.get(other, theirs.id)).rejects.toMatchObject({ code: 'credentialWrongType' });
    expect((await scoped.get(robot, mine.id)).secret).toBe('s');
  });
});
