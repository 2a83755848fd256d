-- CreateTable
CREATE TABLE "WecomStaff" (
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "syncedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WecomStaff_pkey" PRIMARY KEY ("userId")
);
