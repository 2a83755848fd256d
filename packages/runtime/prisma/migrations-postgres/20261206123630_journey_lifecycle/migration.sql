-- AlterTable
ALTER TABLE "Journey" ADD COLUMN     "folder" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "stoppedReason" TEXT;

-- AlterTable
ALTER TABLE "JourneyVersion" ADD COLUMN     "rollbackOf" INTEGER;
