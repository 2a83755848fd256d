-- TrackedLink.messageKey becomes unique (one tracked link per SMS). Rows written before this had
-- codes derived from the messageKey and were inserted with INSERT OR IGNORE on the code, so no
-- messageKey can appear twice and the unique index below cannot fail on existing data.
-- DropIndex
DROP INDEX "TrackedLink_messageKey_idx";

-- CreateTable
CREATE TABLE "DeploymentSecret" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "rotatedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "TrackedLink_messageKey_key" ON "TrackedLink"("messageKey");
