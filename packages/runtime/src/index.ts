export { type Config, ConfigError, loadConfig } from './config.ts';
export { type Database, DatabaseStartupError, openDatabase } from './db/database.ts';
export { applyMigrations } from './db/migrate.ts';
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
export { createLogger, type Logger } from './logger.ts';
export { createApp } from './server/app.ts';
