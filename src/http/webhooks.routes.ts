import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { createEventRecorder, emailEventPolicy } from '../delivery/email-events.service.js';
import { resendWebhookVerifier } from '../delivery/resend-webhook.js';
import { webhookEvents } from '../metrics.js';

/** Resend's payloads are a few kilobytes; anything near this is not from Resend. */
const BODY_LIMIT = 256 * 1024;

/**
 * `POST /webhooks/resend`: Resend's delivery events, verified on the raw body and stored once per
 * svix-id. The work per event is a few row updates, and events arriving together share one
 * statement and one transaction (src/delivery/email-events.service.ts), so it is done inline and
 * answered once committed; Resend retries anything but a 2xx, which makes a failed write safe.
 */
export async function webhookRoutes(app: FastifyInstance, options: { ctx: AppContext }): Promise<void> {
  const { config, db, logger } = options.ctx;
  const secret = config.resend.webhookSecret;
  const verify = secret ? resendWebhookVerifier(secret) : undefined;
  const record = createEventRecorder(db, emailEventPolicy(config), logger);
  if (!verify) {
    logger.warn('RESEND_WEBHOOK_SECRET is not set: webhooks are off (POST /webhooks/resend answers 503)');
  }

  // Scoped to this plugin: the body stays the exact string that was signed, whatever its
  // content type, and no JSON parser gets to re-serialise it first.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post('/webhooks/resend', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    if (!verify) {
      return reply.code(503).send({ error: 'webhooks are off: RESEND_WEBHOOK_SECRET is not set' });
    }
    const body = typeof request.body === 'string' ? request.body : '';
    const result = verify(body, request.headers);
    if (!result.ok) {
      logger.warn(
        { svixId: request.headers['svix-id'], reason: result.reason, ip: request.ip },
        'webhook refused',
      );
      return reply.code(result.status).send({ error: result.reason });
    }
    webhookEvents.inc({ type: result.event.type }); // metrics (src/metrics.ts)
    const outcome = await record({ svixId: result.svixId, event: result.event, rawBody: body });
    return { ok: true, duplicate: outcome.duplicate };
  });
}
