-- AlterTable
ALTER TABLE "ImportBatch" ADD COLUMN     "mapping" TEXT NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "ImportMappingPreset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mapping" TEXT NOT NULL,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ImportMappingPreset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ImportMappingPreset_name_key" ON "ImportMappingPreset"("name");
