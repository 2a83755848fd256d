-- CreateTable
CREATE TABLE "StepCount" (
    "journeyId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL DEFAULT '',
    "fromNodeId" TEXT NOT NULL DEFAULT '',
    "port" TEXT NOT NULL DEFAULT '',
    "count" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("journeyId", "versionId", "kind", "nodeId", "fromNodeId", "port")
);

-- CreateTable
CREATE TABLE "StatsWatermark" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "lastId" INTEGER NOT NULL
);
