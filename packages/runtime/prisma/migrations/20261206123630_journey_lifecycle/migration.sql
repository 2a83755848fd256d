-- AlterTable
ALTER TABLE "JourneyVersion" ADD COLUMN "rollbackOf" INTEGER;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Journey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "draft" TEXT NOT NULL,
    "draftRevision" INTEGER NOT NULL DEFAULT 1,
    "liveVersionId" TEXT,
    "templateKey" TEXT,
    "pausedReason" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "folder" TEXT NOT NULL DEFAULT '',
    "stoppedReason" TEXT
);
INSERT INTO "new_Journey" ("createdAt", "createdBy", "description", "draft", "draftRevision", "id", "liveVersionId", "name", "pausedReason", "status", "templateKey", "updatedAt") SELECT "createdAt", "createdBy", "description", "draft", "draftRevision", "id", "liveVersionId", "name", "pausedReason", "status", "templateKey", "updatedAt" FROM "Journey";
DROP TABLE "Journey";
ALTER TABLE "new_Journey" RENAME TO "Journey";
CREATE INDEX "Journey_status_idx" ON "Journey"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
