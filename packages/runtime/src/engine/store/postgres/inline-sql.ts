import { createRequire } from 'node:module';
import pg from 'pg';

// pg's own conversion of a parameter to its text form (arrays to array literals, Dates, JSON):
// the text a bound parameter would carry, so an inlined statement reads exactly what it would have.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as {
  prepareValue(value: unknown): string | Buffer | null;
};

/** One parameter as an SQL literal (pg's escapeLiteral: quotes doubled, backslashes as E'…'). */
function literal(value: unknown): string {
  const text = prepareValue(value);
  if (text === null) return 'NULL';
  if (Buffer.isBuffer(text)) throw new Error('inline SQL: binary parameters are not supported');
  return pg.escapeLiteral(text);
}

/** A quoted literal or identifier (kept as written), or a placeholder `$n`. */
const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g;

/**
 * `sql` with its `$1 … $n` placeholders replaced by the values as literals, so that several
 * statements go to PostgreSQL as ONE simple query (one round trip; they run in order, each seeing
 * the ones before). node-pg sends parameterised statements one round trip each and does not
 * pipeline, and a batch's writes are up to a dozen statements.
 *
 * For the engine store's own statements: `$n` inside quotes is left alone and the values are never
 * re-scanned; dollar-quoted bodies are refused (none of ours has one).
 */
export function inlineParams(sql: string, values: readonly unknown[]): string {
  if (/\$[A-Za-z_]*\$/.test(sql)) throw new Error('inline SQL: dollar-quoted text is not supported');
  return sql.replace(TOKEN, (token: string, n: string | undefined) => {
    if (n === undefined) return token;
    const index = Number(n) - 1;
    if (index < 0 || index >= values.length) throw new Error(`inline SQL: no value for $${n}`);
    return literal(values[index]);
  });
}

/** Collects statements (values inlined) to send together; see `inlineParams`. */
export class StatementBatch {
  private readonly statements: string[] = [];

  add(sql: string, values: readonly unknown[] = []): void {
    this.statements.push(values.length > 0 ? inlineParams(sql, values) : sql);
  }

  get size(): number {
    return this.statements.length;
  }

  /** The statements as one query text, emptied. */
  take(): string {
    return this.statements.splice(0).join(';\n');
  }
}
