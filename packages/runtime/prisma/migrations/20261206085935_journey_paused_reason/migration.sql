-- AlterTable
ALTER TABLE "Journey" ADD COLUMN "pausedReason" TEXT;

-- CreateTable
CREATE TABLE "HeldTimer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "instanceId" INTEGER NOT NULL,
    "journeyId" TEXT NOT NULL,
    "dueAt" BIGINT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "HeldTimer_journeyId_idx" ON "HeldTimer"("journeyId");
