-- DropIndex
DROP INDEX "StepLog_journeyId_kind_nodeId_idx";

-- CreateIndex
CREATE INDEX "Message_recipient_sentAt_idx" ON "Message"("recipient", "sentAt");

-- CreateIndex
CREATE INDEX "StepLog_journeyId_kind_nodeId_instanceId_idx" ON "StepLog"("journeyId", "kind", "nodeId", "instanceId");
