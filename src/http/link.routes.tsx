import type { FastifyInstance, FastifyReply } from 'fastify';
import { confirmLink, subscriberLinks } from '../links/links.js';
import type { Subscriber } from '../subscribers/subscribers.repository.js';
import { confirmSubscription, giveFeedback, unsubscribe } from '../subscribers/subscription.service.js';
import { sendDigestPage } from './digest-page.js';
import { MessagePage } from './pages/message.page.js';
import type { PublicDeps } from './public.routes.js';

type TokenParams = { Params: { token: string } };

/** The path part of one of our own absolute links: pages link relatively, so no redirect leaves the site. */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}

/** Confirm (double opt-in), one-click unsubscribe (RFC 8058) and its undo, feedback. */
export function linkRoutes(app: FastifyInstance, deps: PublicDeps): void {
  const { config } = deps;
  const senderName = config.mail.senderName;
  const preferencesPath = (s: Subscriber) => pathOf(subscriberLinks(config, s).preferences);

  // A GET only shows a button: mail scanners open links, and a scanner must not be able to
  // subscribe someone who never asked. The click (a POST) is the consent.
  app.get<TokenParams>('/confirm/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'confirm');
    if (!link) return deps.notFound(reply);
    if (link.subscriber.status === 'active') {
      return deps.sendPage(
        reply,
        MessagePage({
          senderName,
          title: 'You are subscribed',
          children: (
            <p>
              Nothing more to do. <a href={preferencesPath(link.subscriber)}>Your preferences</a>
            </p>
          ),
        }),
      );
    }
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: 'Confirm your subscription',
        children: (
          <p>
            One click and the digest starts for <strong>{link.subscriber.email}</strong>.
          </p>
        ),
        action: { url: `/confirm/${request.params.token}`, label: 'Confirm my subscription' },
      }),
    );
  });

  app.post<TokenParams>('/confirm/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'confirm');
    if (!link) return deps.notFound(reply);
    const outcome = await confirmSubscription(deps, link.subscriber);
    const title = outcome === 'resubscribed' ? 'Welcome back' : 'You are subscribed';
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title,
        children: (
          <>
            <p role="status">Your digest comes with the next edition.</p>
            <p>
              <a href={preferencesPath(link.subscriber)}>Choose your topics, hour and format</a>
            </p>
          </>
        ),
      }),
    );
  });

  app.get<TokenParams>('/unsubscribe/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'unsubscribe');
    if (!link) return deps.notFound(reply);
    if (link.subscriber.status === 'unsubscribed') return unsubscribedPage(link.subscriber, reply);
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: 'Unsubscribe',
        children: (
          <>
            <p>
              Stop every digest to <strong>{link.subscriber.email}</strong>?
            </p>
            <p>
              Too many emails? You can <a href={preferencesPath(link.subscriber)}>get a weekly digest</a>{' '}
              instead.
            </p>
          </>
        ),
        action: {
          url: `/unsubscribe/${request.params.token}`,
          label: 'Unsubscribe',
          fields: { 'List-Unsubscribe': 'One-Click' },
        },
      }),
    );
  });

  // RFC 8058: the mailbox provider POSTs `List-Unsubscribe=One-Click` (form-encoded or multipart),
  // without cookies. It takes effect at once and answers 200, never a redirect. Any POST body is
  // accepted: the signed token is the authority, and a lenient receiver loses no unsubscribes.
  // No "you are unsubscribed" email follows: the person asked for no more mail.
  app.post<TokenParams>('/unsubscribe/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'unsubscribe');
    if (!link) return deps.notFound(reply);
    await unsubscribe(deps.db, link.subscriber);
    return unsubscribedPage(link.subscriber, reply);
  });

  function unsubscribedPage(subscriber: Subscriber, reply: Parameters<PublicDeps['notFound']>[0]) {
    const undo = pathOf(confirmLink(config, subscriber));
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: 'You are unsubscribed',
        children: (
          <>
            <p role="status">
              No more digests go to <strong>{subscriber.email}</strong>.
            </p>
            <p>
              Clicked by mistake? Undo it below, or{' '}
              <a href={preferencesPath(subscriber)}>change how often you hear from us</a> instead.
            </p>
          </>
        ),
        action: { url: undo, label: 'Undo: subscribe me again', style: 'secondary' },
      }),
    );
  }

  // The digest of the link's date, ranked and rendered as it is sent.
  app.get<TokenParams>('/view/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'view');
    const date = link?.claims.subject ?? '';
    if (!link || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
      return deps.notFound(reply);
    return sendDigestPage(deps, reply, link.subscriber, date);
  });

  // A GET records it (the link is in an email, one click, no page in between); the same click
  // twice changes nothing, and the latest of more/less wins. The token names the subscriber (one
  // per email, not one per paper: signing twenty links per digest was most of its render time);
  // the paper and the choice follow it in the path, so whoever holds the link can only give that
  // subscriber's feedback, on a paper that exists.
  app.get<{ Params: { token: string; paper: string; value: string } }>(
    '/feedback/:token/:paper/:value',
    async (request, reply) => {
      const { token, paper, value } = request.params;
      const link = await deps.resolve(token, 'feedback');
      if (!link || link.claims.subject !== undefined || (value !== 'more' && value !== 'less')) {
        return deps.notFound(reply);
      }
      return feedbackPage(reply, link.subscriber, paper, value);
    },
  );

  // Links from digests sent before the one-token form: the paper and the choice are in the token.
  app.get<TokenParams>('/feedback/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'feedback');
    const match = /^(.+):(more|less)$/.exec(link?.claims.subject ?? '');
    if (!link || !match) return deps.notFound(reply);
    const [, paperId, value] = match as unknown as [string, string, 'more' | 'less'];
    return feedbackPage(reply, link.subscriber, paperId, value);
  });

  async function feedbackPage(
    reply: FastifyReply,
    subscriber: Subscriber,
    paperId: string,
    value: 'more' | 'less',
  ) {
    if (!(await giveFeedback(deps.db, subscriber, paperId, value))) return deps.notFound(reply);
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: 'Thank you',
        children: (
          <>
            <p role="status">
              Noted: {value === 'more' ? 'more' : 'fewer'} papers like this one, from your next digest on.
            </p>
            <p>
              <a href={preferencesPath(subscriber)}>Your preferences</a>
            </p>
          </>
        ),
      }),
    );
  }
}
