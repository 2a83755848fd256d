-- Instance ids start at 100,000,000, so that until 999,999,999 every id has nine digits and the
-- idempotency keys built from them ("<instanceId>:<node>:<visit>", OutboxEffect, Message, Coupon,
-- StaffTask, TrackedLink, EffectReceipt) sort in the order they were made. With ids of growing
-- width ("1:…", "10:…", "100:…") the keys of neighbouring runs land on pages all over each unique
-- index: at 1,000,000 customers every send dirtied a page of its own per index (measured at
-- 2,000 orders/s, 7 runs each: median p99 138 -> 97 ms, busy time per order 458 -> 447 us).
-- Runs that exist keep their ids, so every key already made (and handed to a provider) stays as it
-- was. A later migration that redefines the Instance table (copy, drop, rename) leaves SQLite to
-- restart the sequence at the largest id copied, below 100,000,000 if no run was made since this
-- one: such a migration must set the sequence again, as below.
INSERT INTO "sqlite_sequence" ("name", "seq")
SELECT 'Instance', 99999999
WHERE NOT EXISTS (SELECT 1 FROM "sqlite_sequence" WHERE "name" = 'Instance');

UPDATE "sqlite_sequence" SET "seq" = 99999999 WHERE "name" = 'Instance' AND "seq" < 99999999;
