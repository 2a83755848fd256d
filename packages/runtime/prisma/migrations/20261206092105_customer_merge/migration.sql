-- CreateTable
CREATE TABLE "CustomerMerge" (
    "mergedId" TEXT NOT NULL PRIMARY KEY,
    "customerId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "merged" TEXT NOT NULL,
    "mergedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DataStep" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "doneAt" DATETIME NOT NULL,
    "result" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "CustomerMerge_customerId_idx" ON "CustomerMerge"("customerId");

-- CreateIndex
CREATE INDEX "OptOut_customerId_idx" ON "OptOut"("customerId");

-- CreateIndex
CREATE INDEX "StaffTask_customerId_idx" ON "StaffTask"("customerId");
