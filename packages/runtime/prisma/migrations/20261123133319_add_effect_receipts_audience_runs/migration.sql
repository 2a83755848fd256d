-- CreateTable
CREATE TABLE "EffectReceipt" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AudienceRun" (
    "journeyId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "lastRunAt" DATETIME NOT NULL,
    "matched" INTEGER NOT NULL,
    "enrolled" INTEGER NOT NULL,

    PRIMARY KEY ("journeyId", "nodeId")
);
