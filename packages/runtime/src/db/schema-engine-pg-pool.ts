import pg from 'pg';

/**
 * PostgreSQL catalog types that @prisma/adapter-pg 7.10 cannot describe to the engine ("Column
 * type 'char' could not be deserialized" when the schema engine reads pg_catalog to compare a
 * database with the schema). pg hands their values over as plain strings already; only the column
 * type the adapter reports is missing, so they are relabelled as text.
 */
const CATALOG_TYPES_AS_TEXT = new Set([
  18, // "char": relkind, contype, attgenerated, …
  22, // int2vector
  24, // regproc
  30, // oidvector
  194, // pg_node_tree
  2205, // regclass
]);
const TEXT_OID = 25;

type Queryable = { query: (...args: never[]) => unknown };

function relabel<T>(result: T): T {
  const fields = (result as { fields?: Array<{ dataTypeID: number }> } | undefined)?.fields;
  for (const field of fields ?? []) if (CATALOG_TYPES_AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  return result;
}

/** Wraps `query` of a pool or pooled client so promise results come back relabelled. */
function relabelQueries<T extends Queryable>(target: T): T {
  const original = target.query.bind(target) as (...args: unknown[]) => unknown;
  (target as { query: unknown }).query = (...args: unknown[]) => {
    const result = original(...args);
    return result instanceof Promise ? result.then(relabel) : result;
  };
  return target;
}

/**
 * A pg Pool for the schema engine only (the app's client never reads pg_catalog). A subclass, not
 * a proxy: the adapter recognises an external pool by `instanceof pg.Pool`.
 */
export class SchemaEnginePgPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    relabelQueries(this);
    this.on('connect', (client) => {
      relabelQueries(client);
    });
  }
}
