-- CreateTable
CREATE TABLE "ImportBatchCustomer" (
    "batchId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "created" BOOLEAN NOT NULL,
    "addedTags" TEXT NOT NULL DEFAULT '[]',
    "previousAttributes" TEXT NOT NULL DEFAULT '{}',
    "previousName" TEXT,

    PRIMARY KEY ("batchId", "customerId")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ImportBatch" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "fileName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "totalRows" INTEGER NOT NULL,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "errors" TEXT NOT NULL DEFAULT '[]',
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "mapping" TEXT NOT NULL DEFAULT '{}',
    "error" TEXT,
    "undoneAt" DATETIME,
    "undoneBy" TEXT
);
INSERT INTO "new_ImportBatch" ("created", "createdAt", "createdBy", "duplicates", "errors", "fileName", "finishedAt", "id", "mapping", "rejected", "status", "totalRows", "updated") SELECT "created", "createdAt", "createdBy", "duplicates", "errors", "fileName", "finishedAt", "id", "mapping", "rejected", "status", "totalRows", "updated" FROM "ImportBatch";
DROP TABLE "ImportBatch";
ALTER TABLE "new_ImportBatch" RENAME TO "ImportBatch";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
