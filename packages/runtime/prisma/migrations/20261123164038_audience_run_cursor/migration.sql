-- AlterTable
ALTER TABLE "AudienceRun" ADD COLUMN "cursor" TEXT;
