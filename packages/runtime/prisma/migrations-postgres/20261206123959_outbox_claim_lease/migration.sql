-- AlterTable
ALTER TABLE "OutboxEffect" ADD COLUMN     "claimedBy" TEXT,
ADD COLUMN     "claimedUntil" BIGINT;
