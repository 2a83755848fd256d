import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { type DatabaseProvider, PROVIDER_FILES } from './migrations.ts';
import { SchemaEnginePgPool } from './schema-engine-pg-pool.ts';

/**
 * Prisma's own schema engine compiled to WebAssembly. The Prisma CLI would download a native
 * engine for `migrate`, which cannot happen offline; this engine ships inside an npm package and
 * speaks to the database through the same driver adapter the client uses (better-sqlite3 or pg).
 */
export type SchemaEngine = bg.SchemaEngine;

/** A database the schema engine works on: SQLite (`file:…`) or PostgreSQL (`postgresql://…`). */
export interface SchemaEngineTarget {
  provider: DatabaseProvider;
  url: string;
}

function adapterFactory(target: SchemaEngineTarget): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  end(): Promise<void>;
} {
  if (target.provider === 'sqlite')
    return { factory: new PrismaBetterSqlite3({ url: target.url }), end: async () => {} };
  // Our own pool (ended once, after every adapter is disposed) so catalog reads can be relabelled.
  const pool = new SchemaEnginePgPool({ connectionString: target.url, max: 2 });
  return { factory: new PrismaPg(pool), end: () => pool.end() };
}

interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let wasmReady: Promise<void> | undefined;

async function loadWasm(): Promise<void> {
  const require = createRequire(import.meta.url);
  // The package exports no ./package.json; its main entry sits beside the .wasm file.
  const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm'));
  const bytes = await readFile(join(packageDir, 'schema_engine_bg.wasm'));
  // Node has WebAssembly; its type lives in lib.dom, which the runtime does not include.
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports as never);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
}

/**
 * Opens the schema engine on a database for one schema (by default the provider's own
 * schema file). Call `close()` when done: on SQLite the engine holds its connections in EXCLUSIVE
 * locking mode, and `free()` alone does not close them, so the next opener of the file would wait
 * for a lock that never comes; on PostgreSQL the pools would keep the process alive.
 */
export async function openSchemaEngine(
  target: SchemaEngineTarget,
  schemaPath: string = PROVIDER_FILES[target.provider].schemaPath,
  schemaText: string = readFileSync(schemaPath, 'utf8'),
) {
  wasmReady ??= loadWasm();
  await wasmReady;
  const { factory: inner, end } = adapterFactory(target);
  const opened: Array<{ dispose(): Promise<void> }> = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const adapter = await inner.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await inner.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const logs: string[] = [];
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(tracking),
  );
  const close = async () => {
    engine.free();
    await Promise.all(opened.splice(0).map((adapter) => adapter.dispose()));
    await end();
  };
  return { engine, logs, close };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };
