import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { adminRoutes } from './admin.routes.js';
import { archiveRoutes } from './archive.routes.js';

/**
 * The web server: public pages (sign-up, preferences, unsubscribe, feedback), Resend webhooks and
 * the operator console. Each area is a plugin in its own file, registered here.
 */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as unknown as FastifyBaseLogger,
    trustProxy: true,
    disableRequestLogging: true,
  });
  await app.register(formbody);
  app.get('/healthz', async () => {
    await ctx.db.selectNoFrom((eb) => eb.val(1).as('ok')).execute();
    return { ok: true };
  });
  await app.register(adminRoutes, { ctx });
  await app.register(archiveRoutes, { ctx });
  return app;
}
