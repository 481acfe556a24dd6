import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config.js';
import type { AppContext } from '../../src/context.js';
import type { Transport } from '../../src/delivery/transport.js';
import type { SubscribeLimits } from '../../src/http/public.routes.js';
import { buildServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';
import type { Paper } from '../../src/papers/paper.js';
import { testConfig } from './config.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { seedPapers } from './seed.js';

export interface PublicServer {
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/** The real server (every plugin) on a fresh test database, for `app.inject` or a real port. */
export async function startPublicServer(
  transport: Transport,
  options: { config?: Config; limits?: Partial<SubscribeLimits> } = {},
): Promise<PublicServer> {
  const database = await createTestDatabase();
  const config = options.config ?? testConfig();
  const ctx: AppContext = {
    config,
    db: database.db,
    database: { db: database.db, url: database.url, embedded: false, close: async () => {} },
    logger: createLogger('silent'),
    close: async () => {},
  };
  const app = await buildServer(ctx, {
    transport,
    subscribeLimits: options.limits ?? { perIp: 1000, perAddress: 1000 },
  });
  return {
    app,
    ctx,
    database,
    config,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** The token in the first link of `kind` (confirm, preferences, unsubscribe …) found in a text. */
export function tokenIn(text: string, kind: string): string {
  const match = new RegExp(`/${kind}/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no /${kind}/ link in: ${text.slice(0, 300)}`);
  return match[1] as string;
}

/** A subscriber straight in the database, for tests that start past the sign-up. */
export async function insertSubscriber(
  server: PublicServer,
  values: {
    email: string;
    status?: 'pending' | 'active' | 'unsubscribed';
    preferences?: Record<string, unknown>;
  },
) {
  return server.database.db
    .insertInto('subscribers')
    .values({
      email: values.email,
      status: values.status ?? 'active',
      preferences: JSON.stringify(values.preferences ?? {}),
      confirmed_at: values.status === 'pending' ? null : new Date(),
      source: 'test',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Papers straight into the table (what ingestion would have stored). */
export async function insertPapers(server: PublicServer, papers: Paper[]): Promise<void> {
  await seedPapers(server.database.db, papers);
}
