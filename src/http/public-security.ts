import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { STYLESHEET_HASH } from './pages/layout.js';

/**
 * Security headers for every public page. Links carry their token in the path, so nothing may
 * leak it: no referrer, no caching, no indexing. No page runs a script; the one stylesheet is
 * allowed by its hash. Digest pages (preview, view in browser) widen style and image sources
 * with `DIGEST_CSP` because emails style with attributes and show remote thumbnails.
 */
export const PAGE_CSP = {
  defaultSrc: ["'none'"],
  styleSrc: [STYLESHEET_HASH],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  scriptSrc: ["'none'"],
};

export const DIGEST_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https: data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; script-src 'none'";

export async function registerPublicSecurity(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('x-robots-tag', 'noindex, nofollow');
    reply.header('permissions-policy', 'interest-cohort=(), camera=(), microphone=(), geolocation=()');
    return payload;
  });
}
