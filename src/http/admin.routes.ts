import { readFileSync } from 'node:fs';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { recoverUnfinished } from '../delivery/delivery-queues.js';
import type { QueueBackend } from '../delivery/queue-backend.js';
import type { Transport } from '../delivery/transport.js';
import type { SendQueueing } from '../editions/edition-admin.service.js';
import { addQueueDepthSource, registry } from '../metrics.js';
import { QUEUE_NAMES } from '../queues.js';
import {
  type Actor,
  authenticate,
  csrfToken,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  safeEqual,
  sessionValue,
} from './admin/auth.js';
import { registerEditionPages } from './admin/editions.js';
import { html, type PageContext, SignInPage } from './admin/layout.js';
import { registerPreviewPages } from './admin/preview.js';
import { QUEUES_PATH, registerQueueBoard } from './admin/queues.js';

/**
 * The operator console under /admin: sign-in, editions, preview, queues. Off (404 everywhere,
 * and a warning in the log) when ADMIN_TOKEN is unset. See admin/auth.ts for how one signs in.
 */

declare module 'fastify' {
  interface FastifyRequest {
    adminActor?: Actor;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (the sign-in page itself, the style sheet). */
    adminPublic?: boolean;
  }
}

export interface AdminRoutesOptions {
  ctx: AppContext;
  /** Delivery's queues: bull-board, resume/retry, queue depth in /metrics. */
  queues: QueueBackend;
  /** Where test sends go: the server's transport, the one digests use. */
  transport: Transport;
}

const css = readFileSync(new URL('./admin/admin.css', import.meta.url), 'utf8');

/** Pages render e-mail HTML in sandboxed srcdoc frames, which inherit this policy: inline styles
 * are allowed (e-mail needs them), scripts are not, anywhere. */
const PAGE_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'https:', 'data:'],
    fontSrc: ["'self'", 'data:'],
    frameSrc: ["'self'"],
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    scriptSrc: ["'none'"],
  },
};

const BASIC_PATH = '/admin/basic';

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function isSafeNext(next: unknown): next is string {
  return typeof next === 'string' && /^\/admin(\/|$|\?)/.test(next) && !next.startsWith('//');
}

export async function adminRoutes(
  app: FastifyInstance,
  { ctx, queues, transport }: AdminRoutesOptions,
): Promise<void> {
  const token = ctx.config.adminToken;
  const log = ctx.logger.child({ area: 'admin' });
  if (!token) {
    log.warn('operator console is off: set ADMIN_TOKEN (16+ characters) to turn it on');
    const off = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The operator console and /metrics are off (ADMIN_TOKEN is not set).\n');
    app.get('/admin', off);
    app.all('/admin/*', off);
    app.get('/metrics', off);
    return;
  }
  const csrf = csrfToken(token);
  // Behind a proxy the Host header may name the backend: PUBLIC_URL's host counts as ours too.
  const publicHost = new URL(ctx.config.publicUrl).host;
  const ownHosts = (request: FastifyRequest) =>
    new Set([publicHost, request.host, request.headers.host ?? '']);
  const secureCookie = ctx.config.publicUrl.startsWith('https:');

  app.decorateRequest('adminActor', undefined);
  await app.register(rateLimit, { global: false });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (request.routeOptions.config.adminPublic) return;
    const actor = authenticate(token, request.headers);
    if (!actor) {
      log.info({ url: request.url, ip: request.ip }, 'admin request without valid credentials');
      // Browsers go to the sign-in form (a basic-auth challenge would stop a headless one dead);
      // /admin/basic asks for basic auth with the browser's own prompt instead.
      const browser = request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
      if (browser && request.url !== BASIC_PATH) {
        return reply.redirect(`/admin/sign-in?next=${encodeURIComponent(request.url)}`, 303);
      }
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="paperboy admin", charset="UTF-8"')
        .type('text/plain; charset=utf-8')
        .send('Sign in: Authorization: Bearer <ADMIN_TOKEN>, or basic auth with the token as password.\n');
    }
    request.adminActor = actor;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // A browser sends cookies and cached basic credentials on its own; refuse anything a page on
      // another site could have started.
      const site = request.headers['sec-fetch-site'];
      const origin = request.headers.origin;
      // "null" is what a browser sends when it will not say (no-referrer, sandboxed pages); the
      // CSRF token in the form still has to match then.
      const crossSite =
        (site && site !== 'same-origin' && site !== 'none') ||
        (origin && origin !== 'null' && !ownHosts(request).has(originHost(origin) ?? ''));
      if (actor.via !== 'bearer' && crossSite) {
        log.warn({ admin: actor.name, url: request.url, origin }, 'cross-site admin request refused');
        return reply.code(403).type('text/plain; charset=utf-8').send('Cross-site request refused.\n');
      }
    }
  });

  /** Form POSTs carry the CSRF token; bearer requests cannot be forged by a browser and need none. */
  const checkCsrf = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.adminActor?.via === 'bearer') return;
    const given = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof given !== 'string' || !safeEqual(given, csrf)) {
      return reply
        .code(403)
        .type('text/plain; charset=utf-8')
        .send('Missing or stale form token: reload the page and try again.\n');
    }
  };

  const pageContext = (request: FastifyRequest): PageContext => {
    const query = request.query as Record<string, string | undefined>;
    return {
      actor: request.adminActor as Actor,
      csrf,
      flash: query.flash ? { text: query.flash.slice(0, 300), error: query.error === '1' } : undefined,
    };
  };

  // Prometheus scrapes with `authorization: { credentials: <ADMIN_TOKEN> }`; the console links to
  // the /admin copy, which the session cookie (scoped to /admin) reaches.
  const metrics = async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type(registry.contentType).send(await registry.metrics());
  app.get('/metrics', metrics);
  app.get('/admin/metrics', metrics);

  // Resume and retry put planned rows back on the send queue the way delivery's own recovery
  // does: unbatched rows get batches, batches whose job is gone or finished get a job again.
  const queueing: SendQueueing = {
    async enqueuePlanned(date) {
      const { batched, requeued } = await recoverUnfinished(ctx.db, queues, { editionDate: date });
      return batched + requeued;
    },
  };
  const removeDepthSource = addQueueDepthSource(async () =>
    Promise.all(
      Object.values(QUEUE_NAMES).map(async (queue) => ({
        queue,
        counts: await queues.queue(queue).getJobCounts(),
      })),
    ),
  );
  app.addHook('onClose', async () => {
    removeDepthSource();
  });

  // bull-board's own actions (retry, clean, promote jobs) leave the same who-did-what trail.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || !request.url.startsWith(QUEUES_PATH)) return;
    const actor = request.adminActor;
    log.info(
      {
        admin: actor?.name,
        via: actor?.via,
        method: request.method,
        url: request.url,
        status: reply.statusCode,
      },
      'admin: queue action',
    );
  });
  await registerQueueBoard(app, queues);

  await app.register(async (pages) => {
    // same-origin referrers: forms then carry a real Origin header for the check above.
    await pages.register(helmet, {
      contentSecurityPolicy: PAGE_CSP,
      hsts: secureCookie,
      referrerPolicy: { policy: 'same-origin' },
    });

    pages.get('/admin/admin.css', { config: { adminPublic: true } }, async (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(css),
    );

    pages.get<{ Querystring: { next?: string } }>(
      '/admin/sign-in',
      { config: { adminPublic: true } },
      async (request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .send(html(SignInPage({ next: isSafeNext(request.query.next) ? request.query.next : undefined }))),
    );

    // Reached only with valid credentials: the hook above answers the basic-auth challenge.
    pages.get(BASIC_PATH, async (_request, reply) => reply.redirect('/admin', 303));

    pages.post(
      '/admin/sign-in',
      { config: { adminPublic: true, rateLimit: { max: 10, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, unknown>;
        const given = typeof body.token === 'string' ? body.token : '';
        const name = typeof body.name === 'string' ? body.name : '';
        if (!safeEqual(given, token)) {
          log.warn({ ip: request.ip, name }, 'admin sign-in with a wrong token');
          return reply
            .code(401)
            .type('text/html; charset=utf-8')
            .send(html(SignInPage({ error: 'That token is not right.', next: body.next })));
        }
        const value = sessionValue(token, name, Math.floor(Date.now() / 1000));
        const cookie = [
          `${SESSION_COOKIE}=${value}`,
          'Path=/admin',
          `Max-Age=${SESSION_TTL_SECONDS}`,
          'HttpOnly',
          'SameSite=Strict',
          ...(secureCookie ? ['Secure'] : []),
        ].join('; ');
        log.info({ admin: name || 'operator', ip: request.ip }, 'admin signed in');
        return reply.header('set-cookie', cookie).redirect(isSafeNext(body.next) ? body.next : '/admin', 303);
      },
    );

    pages.post('/admin/sign-out', { preHandler: checkCsrf }, async (request, reply) => {
      log.info({ admin: request.adminActor?.name }, 'admin signed out');
      return reply
        .header('set-cookie', `${SESSION_COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict`)
        .redirect('/admin/sign-in', 303);
    });

    pages.get('/admin', async (_request, reply) => reply.redirect('/admin/editions', 302));

    registerEditionPages(pages, { ctx, log, pageContext, checkCsrf, queueing });
    registerPreviewPages(pages, { ctx, log, pageContext, checkCsrf, transport });
  });
}
