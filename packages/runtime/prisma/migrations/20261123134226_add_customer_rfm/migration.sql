-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "rfm" TEXT;
