-- AlterTable
ALTER TABLE "OutboxEffect" ADD COLUMN "claimedBy" TEXT;
ALTER TABLE "OutboxEffect" ADD COLUMN "claimedUntil" BIGINT;
