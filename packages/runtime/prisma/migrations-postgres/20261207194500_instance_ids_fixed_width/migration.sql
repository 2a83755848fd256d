-- Instance ids start at 100,000,000, as on SQLite (see prisma/migrations, the same migration):
-- nine-digit ids make the idempotency keys built from them sort in the order they were made, so
-- neighbouring runs' keys share index pages. Runs that exist keep their ids and keys.
SELECT setval(
  pg_get_serial_sequence('"Instance"', 'id'),
  GREATEST(99999999, (SELECT COALESCE(MAX("id"), 0) FROM "Instance"))
);
