-- AlterTable
ALTER TABLE "AudienceRun" ADD COLUMN     "occurrenceAt" TEXT;
