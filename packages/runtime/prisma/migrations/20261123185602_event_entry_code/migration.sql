-- DropIndex
DROP INDEX "Event_type_occurredAt_idx";

-- DropIndex
DROP INDEX "Event_customerId_type_idx";

-- AlterTable
ALTER TABLE "Event" ADD COLUMN "entryCode" TEXT;

-- Backfill (hand-written): events stored before this column existed keep their code in data.
UPDATE "Event" SET "entryCode" = json_extract("data", '$.code')
WHERE "type" IN ('channel.entered', 'qr.scanned', 'link.clicked') AND json_type("data", '$.code') = 'text';

-- CreateIndex
CREATE INDEX "Event_customerId_type_occurredAt_entryCode_idx" ON "Event"("customerId", "type", "occurredAt", "entryCode");

-- CreateIndex
CREATE INDEX "Event_type_occurredAt_entryCode_customerId_idx" ON "Event"("type", "occurredAt", "entryCode", "customerId");
