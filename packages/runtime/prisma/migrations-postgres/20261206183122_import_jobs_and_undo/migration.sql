-- AlterTable
ALTER TABLE "ImportBatch" ADD COLUMN     "error" TEXT,
ADD COLUMN     "processedRows" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "undoneAt" TIMESTAMP(3),
ADD COLUMN     "undoneBy" TEXT;

-- CreateTable
CREATE TABLE "ImportBatchCustomer" (
    "batchId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "created" BOOLEAN NOT NULL,
    "addedTags" TEXT NOT NULL DEFAULT '[]',
    "previousAttributes" TEXT NOT NULL DEFAULT '{}',
    "previousName" TEXT,

    CONSTRAINT "ImportBatchCustomer_pkey" PRIMARY KEY ("batchId","customerId")
);
