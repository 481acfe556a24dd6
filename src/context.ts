import { type Config, loadConfig } from './config.js';
import { type DatabaseHandle, type Db, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger, type Logger } from './logger.js';

/** What a process (CLI command, worker, web server) holds for its lifetime. */
export interface AppContext {
  config: Config;
  db: Db;
  database: DatabaseHandle;
  logger: Logger;
  close(): Promise<void>;
}

export interface ContextOptions {
  config?: Config;
  /** Apply pending migrations first (the embedded default does this so it needs no set-up). @defaultValue true */
  migrate?: boolean;
  poolSize?: number;
}

export async function createContext(options: ContextOptions = {}): Promise<AppContext> {
  const config = options.config ?? loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config, {
    max: options.poolSize ?? 10,
    onIdleError: (error) => logger.warn({ err: error.message }, 'database connection lost while idle'),
  });
  try {
    if (options.migrate ?? true) await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    config,
    db: database.db,
    database,
    logger,
    close: () => database.close(),
  };
}
