-- CreateTable
CREATE TABLE "TrackedLink" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "messageKey" TEXT,
    "customerId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "TrackedLink_customerId_idx" ON "TrackedLink"("customerId");
