-- AlterTable
ALTER TABLE "Operator" ADD COLUMN "inviteExpiresAt" DATETIME;
ALTER TABLE "Operator" ADD COLUMN "inviteTokenHash" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Operator_inviteTokenHash_key" ON "Operator"("inviteTokenHash");
