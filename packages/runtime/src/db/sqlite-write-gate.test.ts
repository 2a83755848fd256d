// Port transactions and Prisma's on one SQLite file in one process: without the gate a Prisma
// write landing inside a port transaction slept in SQLite's busy handler for 5 s and failed.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, scratchDatabase } from './scratch-database.test-helper.ts';
import { SqliteWriteGate } from './sqlite-write-gate.ts';

const cleanups = cleanupAfterEach();

describe('SQLite write gate', () => {
  it('lets Prisma writes and port transactions interleave without waiting in the busy handler', async () => {
    const db = await scratchDatabase('write-gate', cleanups);
    await db.prisma.customer.create({ data: { id: 'c1' } });
    const started = Date.now();
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      work.push(
        db.sql.transaction(async (tx) => {
          await tx.run("INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES ('c1', ?, 's', ?)", [
            `t${i}`,
            new Date(),
          ]);
          await tx.run("DELETE FROM CustomerTag WHERE customerId = 'c1' AND tag = ?", [`t${i - 1}`]);
        }),
      );
      work.push(db.prisma.customer.update({ where: { id: 'c1' }, data: { displayName: `n${i}` } }));
      if (i % 10 === 0) {
        work.push(
          db.prisma.$transaction(async (tx) => {
            const c = await tx.customer.findUniqueOrThrow({ where: { id: 'c1' } });
            await tx.customer.update({ where: { id: 'c1' }, data: { variant: `${c.displayName}` } });
          }),
        );
      }
    }
    const results = await Promise.allSettled(work);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await db.sql.all("SELECT tag FROM CustomerTag WHERE customerId = 'c1'")).toEqual([{ tag: 't29' }]);
    expect(await db.prisma.customer.findUnique({ where: { id: 'c1' } })).toMatchObject({ displayName: 'n29' });
  });

  it("waits with the port's single writes while a Prisma transaction is open, instead of sleeping in the busy handler", async () => {
    const db = await scratchDatabase('write-gate-single', cleanups);
    await db.prisma.customer.create({ data: { id: 'c1' } });
    const started = Date.now();
    let portWrites: Promise<unknown> = Promise.resolve();
    await db.prisma.$transaction(async (tx) => {
      await tx.customer.update({ where: { id: 'c1' }, data: { displayName: 'in prisma' } });
      // While Prisma holds the write lock, the port writes (a group of two); Prisma goes on.
      portWrites = Promise.all(
        ['a', 'b'].map((tag) =>
          db.sql.run("INSERT INTO CustomerTag (customerId, tag, source, createdAt) VALUES ('c1', ?, 's', ?)", [
            tag,
            new Date(),
          ]),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.customer.update({ where: { id: 'c1' }, data: { variant: 'after' } });
    });
    await portWrites;
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(await db.sql.all("SELECT tag FROM CustomerTag WHERE customerId = 'c1' ORDER BY tag")).toEqual([
      { tag: 'a' },
      { tag: 'b' },
    ]);
  });

  it('holds one side while the other has a transaction open, and lets single statements pass otherwise', async () => {
    const gate = new SqliteWriteGate();
    const order: string[] = [];
    const releasePort = await gate.enter('port');
    const prismaTx = gate.enter('prisma').then((release) => {
      order.push('prisma tx');
      return release;
    });
    const prismaStatement = gate.pass('prisma').then(() => order.push('prisma statement'));
    await gate.pass('port');
    order.push('port statement');
    await Promise.resolve();
    expect(order).toEqual(['port statement']);
    releasePort();
    const releasePrisma = await prismaTx;
    await prismaStatement;
    expect([...order].sort()).toEqual(['port statement', 'prisma statement', 'prisma tx']);
    let portEntered = false;
    const port = gate.enter('port').then(() => {
      portEntered = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(portEntered).toBe(false);
    releasePrisma();
    await port;
    expect(portEntered).toBe(true);
  });
});
