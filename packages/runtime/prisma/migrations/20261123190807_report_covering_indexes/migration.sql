-- DropIndex
DROP INDEX "StepLog_journeyId_kind_nodeId_instanceId_idx";

-- CreateIndex
CREATE INDEX "Instance_journeyId_versionId_goalAt_holdout_customerId_enteredAt_idx" ON "Instance"("journeyId", "versionId", "goalAt", "holdout", "customerId", "enteredAt");

-- CreateIndex
CREATE INDEX "StepLog_journeyId_kind_nodeId_instanceId_fromNodeId_versionId_idx" ON "StepLog"("journeyId", "kind", "nodeId", "instanceId", "fromNodeId", "versionId");
