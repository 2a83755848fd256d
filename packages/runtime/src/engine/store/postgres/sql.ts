// The PostgreSQL store's reads. Identifiers are quoted (PostgreSQL folds unquoted names to lower
// case); epoch-ms columns come back as numbers and timestamps as UTC Dates (db/postgres-types.ts).

export const INSTANCE_COLUMNS = `i.id, i."journeyId", i."versionId", i."customerId", i.status, i.holdout::int AS holdout,
  i.snapshot, i."nodeId", i."waitingFor", i."enteredAt"`;

/** Journeys are few: every batch reads them all with its BEGIN (one round trip). */
export const BEGIN_AND_JOURNEYS = `BEGIN; SELECT id, status, "liveVersionId", name FROM "Journey"`;

/** The customer with tags and identities, as SQLite's statement returns it. */
export const CUSTOMERS = `SELECT c.id, c."displayName", c.attributes, c."ownerUserId", c."channelCode", c.variant,
    c."erasedAt", c.rfm,
    COALESCE((SELECT json_agg(tag ORDER BY tag) FROM "CustomerTag" WHERE "customerId" = c.id), '[]')::text AS tags,
    COALESCE((SELECT json_object_agg(kind, value) FROM "CustomerIdentity" WHERE "customerId" = c.id), '{}')::text
      AS identities
  FROM "Customer" c WHERE c.id = ANY($1::text[])`;

/**
 * The customers an enrolment or event batch works on, locked (in id order, so two batches never
 * wait on each other in a circle): two workers never enrol or route events for one customer at once.
 */
export const CUSTOMERS_LOCKED = `${CUSTOMERS} ORDER BY c.id FOR NO KEY UPDATE OF c`;

/** Active runs of a journey for these customers plus each one's latest run (re-entry rules). */
export const RUNS_OF_JOURNEY = `SELECT ${INSTANCE_COLUMNS} FROM "Instance" i
  WHERE i."journeyId" = $1 AND i."customerId" = ANY($2::text[]) AND i.status = 'active'
  UNION
  SELECT * FROM (SELECT DISTINCT ON (i."customerId") ${INSTANCE_COLUMNS} FROM "Instance" i
    WHERE i."journeyId" = $1 AND i."customerId" = ANY($2::text[]) ORDER BY i."customerId", i.id DESC) latest`;

/** Active runs of these customers, locked in id order (an event steps them). */
export const ACTIVE_OF_CUSTOMERS = `SELECT ${INSTANCE_COLUMNS} FROM "Instance" i
  WHERE i."customerId" = ANY($1::text[]) AND i.status = 'active' ORDER BY i.id FOR UPDATE OF i`;

/** Latest run per customer and journey, for the live journeys an event may enrol into. */
export const LATEST_RUNS = `SELECT DISTINCT ON (i."customerId", i."journeyId") ${INSTANCE_COLUMNS} FROM "Instance" i
  WHERE i."customerId" = ANY($1::text[]) AND i."journeyId" = ANY($2::text[])
  ORDER BY i."customerId", i."journeyId", i.id DESC`;

/**
 * Due timers with their instances, both locked; rows another worker holds are skipped (it is
 * stepping that instance now), so two workers never step one instance at once. The locks last
 * until the batch commits and go with a dead worker's connection: no lease is needed here.
 */
export const CLAIM_DUE_TIMERS = `SELECT t.id AS "timerId", t.key AS "timerKey", t."dueAt" AS "timerDueAt", ${INSTANCE_COLUMNS}
  FROM "Timer" t JOIN "Instance" i ON i.id = t."instanceId"
  WHERE t."dueAt" <= $1 ORDER BY t."dueAt" LIMIT $2 FOR UPDATE OF t, i SKIP LOCKED`;

/**
 * Due effects, claimed with a lease: the claim commits before the executors run (they may take
 * seconds), so the row lock alone would not keep another worker off; the lease does, and a worker
 * that dies holds it no longer than `claimedUntil`.
 */
export const CLAIM_DUE_EFFECTS = `UPDATE "OutboxEffect" o SET "claimedBy" = $3, "claimedUntil" = $4
  FROM (SELECT id FROM "OutboxEffect"
        WHERE status = 'pending' AND "nextAttemptAt" <= $1 AND ("claimedUntil" IS NULL OR "claimedUntil" <= $1)
        ORDER BY "nextAttemptAt" LIMIT $2 FOR UPDATE SKIP LOCKED) due
  WHERE o.id = due.id
  RETURNING o.id, o."instanceId", o."nodeId", o."nodeType", o."idempotencyKey", o.attempts, o."nextAttemptAt"`;

/**
 * Whether any timer or claimable effect is due: asked outside a batch before claiming (the
 * scheduler loop's probe), one statement where an empty claim costs BEGIN, claim and COMMIT.
 * Uses the same indexes and conditions as the claims.
 */
export const DUE_WORK = `SELECT EXISTS (SELECT 1 FROM "Timer" WHERE "dueAt" <= $1) AS timers,
  EXISTS (SELECT 1 FROM "OutboxEffect" WHERE status = 'pending' AND "nextAttemptAt" <= $1
    AND ("claimedUntil" IS NULL OR "claimedUntil" <= $1)) AS effects`;

/** Timers a batch fired, deleted with its COMMIT (the batch's claim held them locked until then). */
export const DELETE_FIRED_TIMERS = 'DELETE FROM "Timer" WHERE id = ANY($1::int[])';

/** Effects whose executors are about to run: the attempt is counted and the lease renewed. */
export const MARK_EFFECTS_STARTED = `UPDATE "OutboxEffect" SET attempts = attempts + 1, "claimedBy" = $2, "claimedUntil" = $3
  WHERE id = ANY($1::int[])`;

/**
 * Effect outcomes, one UPDATE for every kind (finish, retry, defer, park): a column the outcome
 * does not set keeps its value. The claim is released with the outcome.
 */
export const EFFECT_OUTCOMES = `UPDATE "OutboxEffect" o SET status = COALESCE(u.status, o.status), attempts = COALESCE(u.attempts, o.attempts),
   result = CASE WHEN u.setResult THEN u.result ELSE o.result END,
   "lastError" = CASE WHEN u.setError THEN u.error ELSE o."lastError" END,
   "nextAttemptAt" = COALESCE(u.next, o."nextAttemptAt"),
   "finishedAt" = CASE WHEN u.finished THEN u."finishedAt" ELSE o."finishedAt" END,
   "claimedBy" = NULL, "claimedUntil" = NULL
 FROM unnest($1::int[], $2::text[], $3::int[], $4::bool[], $5::text[], $6::bool[], $7::text[], $8::bigint[],
   $9::timestamp(3)[], $10::bool[]) AS u(id, status, attempts, setResult, result, setError, error, next,
   "finishedAt", finished)
 WHERE o.id = u.id`;

/** A journey's active runs not on `$2`, locked (a migration moves them all in one batch). */
export const ACTIVE_OF_JOURNEY = `SELECT ${INSTANCE_COLUMNS} FROM "Instance" i
  WHERE i."journeyId" = $1 AND i.status = 'active' AND i."versionId" != $2 ORDER BY i.id FOR UPDATE OF i`;

/** A run an operator retries, locked, with what the retry checks (retry-step.ts). */
export const RETRY_FACTS = `SELECT ${INSTANCE_COLUMNS}, i."exitReason", j.status AS "journeyStatus",
    EXISTS (SELECT 1 FROM "Instance" o WHERE o."customerId" = i."customerId" AND o."journeyId" = i."journeyId"
      AND o.status = 'active' AND o.id != i.id) AS "runsAgain",
    ARRAY(SELECT "idempotencyKey" FROM "OutboxEffect" WHERE "instanceId" = i.id AND status = 'failed') AS "failedEffectKeys"
  FROM "Instance" i JOIN "Journey" j ON j.id = i."journeyId" WHERE i.id = $1 FOR UPDATE OF i`;

/** A step whose writes failed in a careful re-run: its instance fails (state kept), timers dropped. */
export const FAIL_INSTANCE = `WITH f AS (
    UPDATE "Instance" SET status = 'failed', "exitReason" = $2, "waitingFor" = NULL, "updatedAt" = $3, "endedAt" = $3
    WHERE id = $1 RETURNING id, "journeyId", "versionId", "nodeId"),
  t AS (DELETE FROM "Timer" WHERE "instanceId" IN (SELECT id FROM f))
  INSERT INTO "StepLog" ("instanceId", "journeyId", "versionId", at, kind, "nodeId", detail)
  SELECT id, "journeyId", "versionId", $4, 'error', "nodeId", $5 FROM f`;

export const INSTANCES_BY_IDS = `SELECT ${INSTANCE_COLUMNS} FROM "Instance" i WHERE i.id = ANY($1::int[])`;
export const INSTANCES_BY_IDS_LOCKED = `${INSTANCES_BY_IDS} ORDER BY i.id FOR UPDATE OF i`;

export const OPEN_RESOLUTIONS = `SELECT DISTINCT ON ("effectKey") id, "effectKey", action, "decidedBy"
  FROM "OutcomeResolution" WHERE "effectKey" = ANY($1::text[]) AND "consumedAt" IS NULL ORDER BY "effectKey", id`;

export const MESSAGES_OF_CUSTOMERS = `SELECT "customerId", channel, "sentAt", "idempotencyKey" FROM "Message"
  WHERE "customerId" = ANY($1::text[])`;

export const VERSION_GRAPHS = `SELECT id, graph, version FROM "JourneyVersion" WHERE id = ANY($1::text[])`;

export const RESERVE_INSTANCE_IDS = `SELECT nextval(pg_get_serial_sequence('"Instance"', 'id'))::int AS id
  FROM generate_series(1, $1::int)`;

export const TIMELINE = `SELECT at, kind, "nodeId", "fromNodeId", port, detail FROM "StepLog"
  WHERE "instanceId" = $1 ORDER BY id`;
