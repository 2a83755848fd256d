import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from '../auth/roles.ts';
import { createHarness, type Harness } from './harness.test-helper.ts';
import { appRouter } from './router.ts';

/** Every procedure of the API, by path, with its kind: the access rules are checked on all of them. */
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, p]) => ({ path, type: p._def.type }));
const ingestion = new Set([
  'events.ingest',
  'coupons.redeem',
  'events.ingestBatch',
  'audiences.import',
  'audiences.previewImport',
  'runs.enroll',
  'runs.enrollMany',
]);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

async function codeOf(caller: unknown, path: string): Promise<string> {
  const fn = path.split('.').reduce((o, k) => (o as Record<string, unknown>)[k], caller) as (
    i: unknown,
  ) => Promise<unknown>;
  try {
    await fn({});
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : String(error);
  }
}

describe('access rules on every procedure', () => {
  it('covers the whole API', () => {
    expect(procedures.length).toBeGreaterThan(40);
  });

  it('answers UNAUTHORIZED without credentials (except signing in)', async () => {
    for (const { path } of procedures) {
      if (path.startsWith('auth.') && path !== 'auth.changePassword') continue;
      expect([path, await codeOf(h.as(null), path)]).toEqual([path, 'UNAUTHORIZED']);
    }
  });

  it('refuses every mutation to a viewer (except changing their own password)', async () => {
    for (const { path, type } of procedures) {
      if (type !== 'mutation' || path.startsWith('auth.')) continue;
      expect([path, await codeOf(h.as('viewer'), path)]).toEqual([path, 'FORBIDDEN']);
    }
  });

  it('gives an API key with every scope nothing but the ingestion procedures', async () => {
    const key = h.asPrincipal({ kind: 'apiKey', id: 'k', name: 'all', scopes: [...API_SCOPES] });
    for (const { path } of procedures) {
      if (path.startsWith('auth.') && path !== 'auth.changePassword') continue;
      const code = await codeOf(key, path);
      // Ingestion procedures get past access control and fail on the empty input instead.
      expect([path, code]).toEqual([path, ingestion.has(path) ? 'BAD_REQUEST' : 'FORBIDDEN']);
    }
  });

  it('rejects bad input with the field named, for every procedure an operator may call', async () => {
    const admin = h.as('admin');
    for (const { path } of procedures) {
      if (
        [
          'auth.me',
          'auth.logout',
          'operators.list',
          'apiKeys.list',
          'apiKeys.scopes',
          'channels.list',
          'audiences.segments',
          'audiences.imports',
          'journeys.list',
          'journeys.templates',
          'journeys.folders',
          'reports.channelsFirstTouch',
          'customers.search',
          'customers.segmentFields',
          'staffTasks.list',
          'wecom.mode',
          'wecom.staff',
          'wecom.syncStaff',
          'coupons.stocks',
          'sandbox.messages',
          'tags.list',
          'overview.journeys',
          'audit.list',
          'audit.actions',
          'callbacks.urls',
          'callbacks.rotateToken',
          'nodes.list',
          'credentials.types',
          'credentials.list',
          'audiences.mappingPresets',
          'settings.get',
          'staffTasks.counts',
          'smsTemplates.list',
        ].includes(path)
      ) {
        continue; // no required input
      }
      const fn = path.split('.').reduce((o, k) => (o as Record<string, unknown>)[k], admin as unknown) as (
        i: unknown,
      ) => Promise<unknown>;
      const error = await fn({ __bogus: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect([path, (error as TRPCError | undefined)?.code]).toEqual([path, 'BAD_REQUEST']);
      const issues = ((error as TRPCError).cause as unknown as { issues?: { path: unknown[] }[] } | undefined)?.issues;
      // Either a zod issue with a path, or a message naming what is missing (validate: id or graph).
      expect([
        path,
        Boolean(issues?.some((i) => i.path.length > 0) || /id|graph/.test((error as Error).message)),
      ]).toEqual([path, true]);
    }
  });
});
