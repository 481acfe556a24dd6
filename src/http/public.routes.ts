import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ReactElement } from 'react';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { type Composer, createComposer } from '../delivery/compose-digest.js';
import type { Transport } from '../delivery/transport.js';
import type { ResolvedToken } from '../links/resolve-token.js';
import { resolveToken } from '../links/resolve-token.js';
import type { Purpose } from '../links/tokens.js';
import type { Logger } from '../logger.js';
import { linkRoutes } from './link.routes.js';
import { renderPage } from './pages/layout.js';
import { NotFoundPage } from './pages/message.page.js';
import { preferencesRoutes } from './preferences.routes.js';
import { registerPublicSecurity } from './public-security.js';
import { signupRoutes } from './signup.routes.js';

/**
 * The subscriber's pages: sign-up, confirm, preferences, one-click unsubscribe, feedback, view in
 * browser. Server-rendered HTML, no scripts, no cookies. Registered by src/http/server.ts.
 */

export interface SubscribeLimits {
  /** Sign-ups per client IP per window. @defaultValue 20 */
  perIp: number;
  /** Sign-ups per address per window; beyond it the same page is shown and nothing is done. @defaultValue 5 */
  perAddress: number;
  /** @defaultValue 3_600_000 (an hour) */
  windowMs: number;
}

export interface PublicRoutesOptions {
  config: Config;
  db: Db;
  logger: Logger;
  transport: Transport;
  limits?: Partial<SubscribeLimits>;
}

/** What every route file of this plugin receives. */
export interface PublicDeps extends PublicRoutesOptions {
  limits: SubscribeLimits;
  sendPage(reply: FastifyReply, element: ReactElement, status?: number): FastifyReply;
  notFound(reply: FastifyReply): FastifyReply;
  resolve(token: string, purpose: Purpose): Promise<ResolvedToken | undefined>;
  /** The send path's rank → render step, for the preview and view-in-browser pages. */
  composer: Composer;
  /** Work finished after the reply (sign-up emails); awaited when the server closes. */
  background(work: Promise<unknown>): void;
}

/** Sign-up work still running after its reply, in every server of this process. */
const inFlight = new Set<Promise<unknown>>();

/** Resolves once every sign-up's after-the-reply work has finished (tests; shutdown uses onClose). */
export async function settleBackgroundWork(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

export async function publicRoutes(app: FastifyInstance, options: PublicRoutesOptions): Promise<void> {
  await registerPublicSecurity(app);
  await app.register(rateLimit, { global: false });
  // RFC 8058 one-click POSTs may arrive multipart; nothing here accepts files.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { files: 0, fields: 20, fieldSize: 10_000, parts: 20 },
  });
  // Any other body type (or none) still reaches the handlers: an unsubscribe must not fail on it.
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) =>
    done(null, body),
  );

  const sendPage = (reply: FastifyReply, element: ReactElement, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(renderPage(element));
  const mine = new Set<Promise<unknown>>();
  app.addHook('onClose', async () => {
    await Promise.allSettled([...mine]);
  });
  const deps: PublicDeps = {
    ...options,
    limits: { perIp: 20, perAddress: 5, windowMs: 3_600_000, ...options.limits },
    sendPage,
    composer: createComposer({ db: options.db, config: options.config }),
    notFound: (reply) => sendPage(reply, NotFoundPage({ senderName: options.config.mail.senderName }), 404),
    resolve: (token, purpose) => resolveToken(options.db, options.config.signingSecrets, token, purpose),
    background: (work) => {
      inFlight.add(work);
      mine.add(work);
      const done = () => {
        inFlight.delete(work);
        mine.delete(work);
      };
      work.then(done, done);
    },
  };
  signupRoutes(app, deps);
  linkRoutes(app, deps);
  preferencesRoutes(app, deps);
}
