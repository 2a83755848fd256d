// The phone data step on a large database: the once-only cost when an old database has many
// customers to merge, and a re-scan that finds nothing (start-up itself then only reads DataStep).
// Not part of `pnpm bench` (a one-off step).
// Usage: tsx bench/phone-merge.ts [customers=1000000] [duplicates=10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergePhoneDuplicates } from '../src/customers/phone-duplicates.ts';
import { openDatabase } from '../src/db/database.ts';

const customers = Number(process.argv[2] ?? 1_000_000);
const duplicates = Number(process.argv[3] ?? 10_000);
const dir = mkdtempSync(join(tmpdir(), 'siyu-phone-bench-'));
try {
  const db = await openDatabase(join(dir, 'bench.db'));
  const s = db.sqlite;
  const at = new Date(Date.UTC(2026, 10, 1)).toISOString();
  const customer = s.prepare("INSERT INTO Customer (id, attributes, createdAt, updatedAt) VALUES (?, '{}', ?, ?)");
  const identity = s.prepare("INSERT INTO CustomerIdentity (kind, value, customerId) VALUES ('phone', ?, ?)");
  const event = s.prepare(
    "INSERT INTO Event (externalId, type, customerId, occurredAt, receivedAt, data) VALUES (?, 'order.placed', ?, 1, 1, '{}')",
  );
  const optOut = s.prepare("INSERT INTO OptOut (channel, address, customerId, reason) VALUES ('sms', ?, ?, 'R')");
  const phone = (i: number) => `+86137${String(i).padStart(8, '0')}`;
  s.transaction(() => {
    for (let i = 0; i < customers; i++) {
      customer.run(`c${i}`, at, at);
      identity.run(phone(i), `c${i}`);
      event.run(`e${i}`, `c${i}`);
      if (i % 10 === 0) optOut.run(phone(i), `c${i}`);
    }
    // Old ingests: the same numbers written as the brand's system sent them.
    for (let i = 0; i < duplicates; i++) {
      customer.run(`d${i}`, at, at);
      identity.run(
        `137 ${String(i)
          .padStart(8, '0')
          .replace(/(\d{4})(\d{4})/, '$1 $2')}`,
        `d${i}`,
      );
      event.run(`de${i}`, `d${i}`);
    }
  })();
  let t = performance.now();
  const first = mergePhoneDuplicates(s, Date.now());
  const mergeMs = performance.now() - t;
  t = performance.now();
  const second = mergePhoneDuplicates(s, Date.now());
  const idleMs = performance.now() - t;
  console.log(
    JSON.stringify({
      customers,
      duplicates,
      first,
      mergeMs: Math.round(mergeMs),
      perMergeMs: duplicates ? +(mergeMs / duplicates).toFixed(3) : 0,
      second,
      nothingToDoMs: Math.round(idleMs),
    }),
  );
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
