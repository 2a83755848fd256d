import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';

/**
 * Keeps the SQL port's transactions and Prisma's apart on SQLite. They use two connections to one
 * file in one thread, and each transaction spans awaits (microtasks): a Prisma write landing while
 * a port transaction holds the write lock waits in SQLite's busy handler, which sleeps the very
 * thread the port transaction needs to commit, so the process stalls for the busy timeout (5 s)
 * and the Prisma write fails (and the other way round). Here each side waits, asynchronously,
 * until the other's open transaction has ended: Prisma's statements and transactions while a port
 * transaction is open, a port transaction while a Prisma transaction is open.
 */
export class SqliteWriteGate {
  private readonly holders = { port: 0, prisma: 0 };
  private waiters: Array<() => void> = [];

  /** Waits until the other side holds no transaction, then holds one; call the result to release. */
  async enter(side: 'port' | 'prisma'): Promise<() => void> {
    await this.pass(side);
    this.holders[side]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holders[side]--;
      for (const wake of this.waiters.splice(0)) wake();
    };
  }

  /** Whether the other side holds a transaction now (`pass` would wait). */
  blocks(side: 'port' | 'prisma'): boolean {
    return this.holders[side === 'port' ? 'prisma' : 'port'] > 0;
  }

  /** Waits until the other side holds no transaction (a single statement, which claims nothing). */
  async pass(side: 'port' | 'prisma'): Promise<void> {
    const other = side === 'port' ? 'prisma' : 'port';
    while (this.holders[other] > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;

/** Prisma's adapter factory with every statement and transaction passing through `gate`. */
export function gatedPrismaAdapter(factory: PrismaBetterSqlite3, gate: SqliteWriteGate): PrismaBetterSqlite3 {
  const gated = (adapter: Adapter): Adapter =>
    new Proxy(adapter, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        const method = value.bind(target) as (...args: unknown[]) => unknown;
        if (property === 'queryRaw' || property === 'executeRaw' || property === 'executeScript') {
          return async (...args: unknown[]) => {
            await gate.pass('prisma');
            return method(...args);
          };
        }
        if (property === 'startTransaction') {
          return async (...args: unknown[]) => {
            const release = await gate.enter('prisma');
            try {
              return endsReleasing((await method(...args)) as Transaction, release);
            } catch (error) {
              release();
              throw error;
            }
          };
        }
        return method;
      },
    });
  return new Proxy(factory, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'connect' || property === 'connectToShadowDb') {
        return async () => gated(await (value as () => Promise<Adapter>).call(target));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The transaction, releasing the gate when Prisma commits or rolls it back. */
function endsReleasing(transaction: Transaction, release: () => void): Transaction {
  return new Proxy(transaction, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value.bind(target) as () => Promise<void>;
      if (property === 'commit' || property === 'rollback') {
        return async () => {
          try {
            return await method();
          } finally {
            release();
          }
        };
      }
      return method;
    },
  });
}
