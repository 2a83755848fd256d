// `pnpm --filter @siyu/runtime cli credentials rotate`: re-encrypts every stored credential with
// the current key. Rotation: put the new key in CREDENTIALS_KEY and the old one in
// CREDENTIALS_KEY_PREVIOUS, restart, run this, then remove CREDENTIALS_KEY_PREVIOUS. Prints
// counts and ids only, never values.
import { loadConfig } from '../config.ts';
import { createCredentialStore } from '../credentials/store.ts';
import type { Database } from '../db/database.ts';
import type { Io } from './commands.ts';
import { EXIT } from './exit-codes.ts';

export async function credentialsRotateCommand(
  db: Database,
  io: Io,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  loadConfig(env); // a malformed key stops here, naming the variable (not its value)
  const { rotated, current, failed } = await createCredentialStore(db, env).rotate();
  io.out(
    `已用当前密钥重新加密 ${rotated} 个凭据（${current} 个本已是当前密钥） re-encrypted ${rotated} credential(s) with the current key (${current} already were)\n`,
  );
  for (const f of failed) io.err(`${f.id}: ${f.error}\n`);
  if (failed.length) {
    io.err(
      `${failed.length} 个凭据无法解密：请把它们当时的密钥设为 CREDENTIALS_KEY_PREVIOUS 后重试 / ${failed.length} credential(s) did not decrypt: set the key they were written with as CREDENTIALS_KEY_PREVIOUS and run again\n`,
    );
    return EXIT.dataProblems;
  }
  return EXIT.ok;
}
