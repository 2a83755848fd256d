// What an operator's client receives for a refusal: a code with its parameters in `data.error`
// (the editor words it in the operator's language) and one plain English sentence as `message`,
// never a joined "中文 / English" sentence.
import type { Server } from 'node:http';
import { apiErrorText } from '@siyu/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../http/app.ts';
import { createHarness, type Harness, listenOnLoopback } from './harness.test-helper.ts';

let h: Harness;
let server: Server;
let base: string;
beforeEach(async () => {
  h = await createHarness();
  ({ server, base } = await listenOnLoopback(createApp({ db: h.db, editorDist: '/nonexistent', api: h.deps })));
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

async function call(path: string, input: unknown, cookie = '') {
  const res = await fetch(`${base}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(input),
  });
  return {
    res,
    body: (await res.json()) as { error: { message: string; data: { error?: { key: string; params: object } } } },
  };
}

const CJK = /[\u4e00-\u9fff]/;

describe('API errors', () => {
  it('carry a code and parameters, and English words for API clients', async () => {
    const denied = await call('journeys.create', { name: 'x' });
    expect(denied.body.error.data.error).toEqual({ key: 'auth.signInRequired', params: {} });
    expect(denied.body.error.message).toBe('Please sign in');

    const login = await call('auth.login', { username: 'admin', password: 'wrong-password' });
    expect(login.body.error.data.error?.key).toBe('auth.wrongPassword');
    expect(login.body.error.message).not.toMatch(CJK);

    const signedIn = await call('auth.login', { username: 'admin', password: 'secret-password' });
    const cookie = (signedIn.res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const missing = await call('journeys.pause', { id: 'nope' }, cookie);
    expect(missing.res.status).toBe(404);
    expect(missing.body.error.data.error).toEqual({ key: 'common.notFound', params: { what: 'journey', id: 'nope' } });
    expect(missing.body.error.message).toBe('Journey "nope" not found');
    const detail = missing.body.error.data.error as { key: string; params: Record<string, string> };
    expect(apiErrorText(detail)?.['zh-CN']).toBe('旅程「nope」不存在');
  });
});
