import type { CredentialReader } from '@siyu/shared';
import { createCredentialStore } from '../credentials/store.ts';
import type { AppDatabase } from '../db/app-database.ts';

/**
 * The credential store over `db`, for node packages given no `credentials` of their own. Its keys
 * are tied to the SQLite file today (credentials/store.ts); on PostgreSQL the host passes
 * `credentials`, and a package reading one without them is told so when it reads.
 */
export function storedCredentials(db: AppDatabase): CredentialReader {
  if (db.dialect === 'sqlite') return createCredentialStore(db).reader;
  return {
    async get(type, id) {
      throw new Error(
        `credential ${id} (${type}): stored credentials are not available on PostgreSQL here; the host must pass \`credentials\` to the node services`,
      );
    },
  };
}
