-- CreateTable
CREATE TABLE "CustomerMerge" (
    "mergedId" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "merged" TEXT NOT NULL,
    "mergedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "CustomerMerge_customerId_idx" ON "CustomerMerge"("customerId");

-- CreateIndex
CREATE INDEX "OptOut_customerId_idx" ON "OptOut"("customerId");

-- CreateIndex
CREATE INDEX "StaffTask_customerId_idx" ON "StaffTask"("customerId");
