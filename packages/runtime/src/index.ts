export { type AssembledServer, assembleServer, type NodeAssembly, type NodesFor } from './assembly/assemble.ts';
export { discoverRuntimeNodePackages, runtimeNodes } from './assembly/default-nodes.ts';
export type { AuditAction } from './audit/record.ts';
export { createApiKey, revokeApiKey } from './auth/api-keys.ts';
export { ensureFirstAdmin } from './auth/bootstrap.ts';
export { hashPassword, verifyPassword } from './auth/password.ts';
export { API_SCOPES, type ApiScope, ROLES, type Role } from './auth/roles.ts';
export { runCli } from './cli/program.ts';
export { type Config, ConfigError, loadConfig } from './config.ts';
export type { AppDatabase } from './db/app-database.ts';
export { type Database, DatabaseStartupError, openDatabase } from './db/database.ts';
export { applyMigrations } from './db/migrate.ts';
export type { SqlValue } from './db/sql-client.ts';
export {
  type Clock,
  type EnrollOptions,
  type EnrollOutcome,
  type IngestOutcome,
  type JourneyEngine,
  ManualClock,
  systemClock,
  type TickOutcome,
  type TimelineEntry,
} from './engine/api.ts';
export { CompileError, compileJourney } from './engine/compiler.ts';
export { createEngine, type DurableEngine, type EngineDeps, EngineInputError } from './engine/engine.ts';
export { type AppOptions, createApp } from './http/app.ts';
export {
  type ImportOptions,
  type ImportReport,
  importCustomers,
  type RowProblem,
} from './import/index.ts';
export { type ExampleLoadReport, loadExamples } from './journeys/examples.ts';
export { diffGraphs, type GraphDiff } from './journeys/graph-diff.ts';
export { publishDraft } from './journeys/publish.ts';
export { createLogger, type Logger } from './logger.ts';
export { type CallbackUrl, callbackTokenStore, callbackUrls } from './node-packages/callback-token.ts';
export {
  type DiscoveredPackage,
  type Discovery,
  type DiscoveryProblem,
  discoverNodePackages,
} from './node-packages/discovery.ts';
export {
  assembleExtensions,
  type ExtensionAssembly,
  type ExtensionHostDeps,
} from './node-packages/extension-assembly.ts';
export { createExtensionStorage, ExtensionStorageError } from './node-packages/extension-storage.ts';
export {
  DEFAULT_NODE_PACKAGE_LOCATIONS,
  type FoundNodePackage,
  findNodePackages,
  type NodePackageLocations,
} from './node-packages/package-finder.ts';
export { BUILT_IN_PACKAGES, createNodeRegistryForRuntime } from './node-packages/registry.ts';
export { type EdgeStats, type JourneyStats, journeyStats, type NodeStats } from './reports/journey-stats.ts';
export { type Context, createContext, type Principal, type ServerDeps } from './trpc/context.ts';
export { type AppRouter, appRouter, createCaller } from './trpc/router.ts';
