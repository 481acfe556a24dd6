import { Writable } from 'node:stream';
import pino from 'pino';
import type { Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import type { Db } from '../../src/db/database.js';

/**
 * An AppContext over a test database, with the log lines kept in `lines` so a test can assert on
 * them. The database is the caller's to drop.
 */
export function testContext(config: Config, db: Db, url = 'postgres://test'): AppContext & { lines: any[] } {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'debug', base: { app: 'paperboy' } }, stream);
  return {
    config,
    db,
    database: { db, url, embedded: false, close: async () => {} },
    logger,
    close: async () => {},
    lines,
  };
}
