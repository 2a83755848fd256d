-- Instance ids start at 100,000,000, as on SQLite (see prisma/migrations, the same migration):
-- nine-digit ids make the idempotency keys built from them sort in the order they were made, so
-- neighbouring runs' keys share index pages. Runs that exist keep their ids and keys.
-- START WITH is where a restart goes back to, TRUNCATE ... RESTART IDENTITY included. RESTART moves
-- the next id there now, and setval keeps it past any run already above it.
ALTER SEQUENCE "Instance_id_seq" START WITH 100000000 RESTART;
SELECT setval('"Instance_id_seq"', GREATEST(99999999, (SELECT COALESCE(MAX("id"), 0) FROM "Instance")));
