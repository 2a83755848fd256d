-- AlterTable
ALTER TABLE "StaffTask" ADD COLUMN     "note" TEXT;
