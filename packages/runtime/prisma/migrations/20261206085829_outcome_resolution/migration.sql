-- CreateTable
CREATE TABLE "OutcomeResolution" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "effectKey" TEXT NOT NULL,
    "journeyId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "decidedBy" TEXT NOT NULL,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL,
    "consumedAt" BIGINT
);

-- CreateIndex
CREATE INDEX "OutcomeResolution_effectKey_idx" ON "OutcomeResolution"("effectKey");
