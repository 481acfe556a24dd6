import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { AppContext } from '../context.js';
import { createTransport } from '../delivery/create-transport.js';
import { createQueueBackend, type QueueBackend, queueBackendOptions } from '../delivery/queue-backend.js';
import type { Transport } from '../delivery/transport.js';
import { adminRoutes } from './admin.routes.js';
import { archiveRoutes } from './archive.routes.js';
import { checkHealth } from './health.js';
import { publicRoutes, type SubscribeLimits } from './public.routes.js';
import { webhookRoutes } from './webhooks.routes.js';

export interface ServerOptions {
  /** Where the pages' emails (confirmation, welcome, tests) go out. @defaultValue the one MAIL_TRANSPORT names */
  transport?: Transport;
  /** Overrides of the sign-up rate limits (tests). */
  subscribeLimits?: Partial<SubscribeLimits>;
  /**
   * The queues the console, /healthz and /metrics look at. @defaultValue the ones the configuration
   * names, connected on first use and closed with the server
   */
  queues?: QueueBackend;
}

/**
 * The web server: public pages (sign-up, preferences, unsubscribe, feedback), Resend webhooks and
 * the operator console. Each area is a plugin in its own file, registered here.
 */
export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const transport = options.transport ?? createTransport(ctx.config);
  const app = Fastify({
    loggerInstance: ctx.logger as unknown as FastifyBaseLogger,
    trustProxy: true,
    logController: new LogController({ disableRequestLogging: true }),
    // Signed tokens travel as one path segment and can pass fastify's default of 100 characters.
    routerOptions: { maxParamLength: 1024 },
  });
  const queues = options.queues ?? createQueueBackend(queueBackendOptions(ctx.config, ctx.database.url));
  if (!options.queues) app.addHook('onClose', () => queues.close());
  await app.register(formbody);
  app.get('/healthz', async (_request, reply) => {
    const health = await checkHealth(ctx.db, queues, {
      onError: (what, cause) => ctx.logger.error({ err: cause, what }, 'health check failed'),
    });
    return reply.code(health.ok ? 200 : 503).send(health);
  });
  await app.register(webhookRoutes, { ctx });
  await app.register(publicRoutes, { ...ctx, transport, limits: options.subscribeLimits });
  await app.register(adminRoutes, { ctx, queues, transport });
  await app.register(archiveRoutes, { ctx });
  return app;
}
