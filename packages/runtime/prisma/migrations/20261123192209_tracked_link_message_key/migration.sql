-- CreateIndex
CREATE INDEX "TrackedLink_messageKey_idx" ON "TrackedLink"("messageKey");
