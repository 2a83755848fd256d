// `pnpm cli callbacks [--rotate]`: the provider callback URLs to paste into the Aliyun / Tencent /
// WeCom / WeChat Pay consoles, for an admin with shell access (the same list as the admin-only
// `callbacks.urls` API). Printed to stdout on request, never logged: the SMS ones hold the token.
import type { AppDatabase } from '../db/app-database.ts';
import { callbackTokenStore, callbackUrls } from '../node-packages/callback-token.ts';
import type { Io } from './commands.ts';
import { EXIT } from './exit-codes.ts';

export async function callbacksCommand(
  db: AppDatabase,
  io: Io,
  options: { publicUrl: string; rotate: boolean },
): Promise<number> {
  const store = callbackTokenStore(db);
  const token = options.rotate ? await store.rotate() : await store.current();
  if (options.rotate) {
    io.err('回调 token 已更换，旧地址立即失效 the callback token was replaced; the old URLs stop working now\n');
  }
  for (const u of callbackUrls(options.publicUrl, token)) io.out(`${u.provider}\t${u.kind}\t${u.url}\n`);
  return EXIT.ok;
}
