import type { FastifyInstance, FastifyRequest } from 'fastify';
import { splitList, validEmail } from '../subscribers/preferences-input.js';
import { subscribe } from '../subscribers/subscription.service.js';
import { MessagePage } from './pages/message.page.js';
import { CheckInboxPage, SignupPage } from './pages/signup.page.js';
import type { PublicDeps } from './public.routes.js';

const CHECK_INBOX_MESSAGE =
  'If that address can receive our email, a message with a confirmation link is on its way. It works for 7 days.';

interface SignupInput {
  email: string;
  topicsText: string;
}

function readSignup(body: unknown): SignupInput {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const topics = source.topics ?? source.interests;
  return {
    email: typeof source.email === 'string' ? source.email.trim() : '',
    topicsText: Array.isArray(topics)
      ? topics.filter((t) => typeof t === 'string').join(', ')
      : typeof topics === 'string'
        ? topics
        : '',
  };
}

function validate(input: SignupInput): { email?: string; topics?: string } {
  const errors: { email?: string; topics?: string } = {};
  if (input.email === '') errors.email = 'Enter your email address.';
  else if (input.email.length > 254 || !validEmail(input.email))
    errors.email = 'Enter an email address like name@example.org.';
  const topics = splitList(input.topicsText);
  if (topics.length > 50) errors.topics = 'At most 50 interests.';
  else if (topics.some((t) => t.length > 100)) errors.topics = 'Each interest can be at most 100 characters.';
  return errors;
}

function wantsJson(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/json');
}

/** GET / and POST /subscribe: the sign-up. The answer is the same for every address. */
export function signupRoutes(app: FastifyInstance, deps: PublicDeps): void {
  const senderName = deps.config.mail.senderName;
  const perIp = app.createRateLimit({ max: deps.limits.perIp, timeWindow: deps.limits.windowMs });
  const perAddress = app.createRateLimit({
    max: deps.limits.perAddress,
    timeWindow: deps.limits.windowMs,
    keyGenerator: (request) => `address:${readSignup(request.body).email.toLowerCase()}`,
  });

  app.get('/', async (_request, reply) => deps.sendPage(reply, SignupPage({ senderName })));

  app.post('/subscribe', async (request, reply) => {
    const json = wantsJson(request);
    const ip = await perIp(request);
    // `isAllowed` only means "on the allow list"; the count is in `isExceeded`.
    if (!ip.isAllowed && ip.isExceeded) {
      const minutes = Math.max(1, Math.ceil(ip.ttlInSeconds / 60));
      reply.header('retry-after', String(ip.ttlInSeconds));
      const message = `Too many sign-ups from your network. Please try again in ${minutes} minutes.`;
      if (json) return reply.code(429).send({ ok: false, message });
      return deps.sendPage(
        reply,
        MessagePage({ senderName, title: 'Please wait a little', children: <p>{message}</p> }),
        429,
      );
    }
    const input = readSignup(request.body);
    const errors = validate(input);
    if (errors.email || errors.topics) {
      if (json) return reply.code(400).send({ ok: false, errors });
      return deps.sendPage(
        reply,
        SignupPage({ senderName, values: { email: input.email, topics: input.topicsText }, errors }),
        400,
      );
    }
    // Past the per-address limit nothing is done, and the answer is the usual one: a 429 here would
    // tell a stranger that someone has been asking for this address.
    // The work itself runs after the answer, so its duration (an email for a new address, none for
    // an active one) cannot be timed from outside either.
    const address = await perAddress(request);
    if (address.isAllowed || !address.isExceeded) {
      deps.background(
        subscribe(deps, { email: input.email, topics: splitList(input.topicsText) }).then(
          (outcome) => request.log.info({ outcome }, 'sign-up'),
          (error) => request.log.error({ err: error }, 'sign-up failed'),
        ),
      );
    }
    if (json) return reply.code(200).send({ ok: true, message: CHECK_INBOX_MESSAGE });
    return deps.sendPage(reply, CheckInboxPage({ senderName }));
  });
}
