import type { FastifyReply } from 'fastify';
import type { Composed, Composer } from '../delivery/compose-digest.js';
import type { Subscriber } from '../subscribers/subscribers.repository.js';
import { Layout } from './pages/layout.js';
import { MessagePage } from './pages/message.page.js';
import type { PublicDeps } from './public.routes.js';
import { DIGEST_CSP } from './public-security.js';

/**
 * A subscriber's digest as a web page: "view in browser" and the preferences page's preview. It
 * goes through the send path's own composer (rank → render), with the subscriber's saved
 * preferences, feedback and already-sent papers, so the page shows what the email would hold.
 */
export async function composeDigest(
  composer: Composer,
  subscriber: Subscriber,
  date: string,
): Promise<Composed> {
  const recipient = {
    deliveryId: 'page',
    subscriberId: subscriber.id,
    email: subscriber.email,
    preferences: subscriber.preferences,
    tokenVersion: subscriber.tokenVersion,
  };
  const composed = (await composer.compose(date, [recipient])).get('page');
  return composed ?? { kind: 'skip', reason: 'not composed' };
}

export async function sendDigestPage(
  deps: PublicDeps,
  reply: FastifyReply,
  subscriber: Subscriber,
  date: string | null,
): Promise<FastifyReply> {
  const senderName = deps.config.mail.senderName;
  if (!date) {
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: 'No papers yet',
        children: <p>There is nothing to show until the first papers arrive.</p>,
      }),
    );
  }
  const digest = await composeDigest(deps.composer, subscriber, date);
  if (digest.kind === 'skip') {
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: `No digest for ${date}`,
        children: (
          <p>No email would go out ({digest.reason}): you asked for none on days when nothing matches.</p>
        ),
      }),
    );
  }
  const { html, text, subject } = digest.email;
  if (!html) {
    return deps.sendPage(
      reply,
      <Layout title={subject} senderName={senderName}>
        <h1>{subject}</h1>
        <pre>{text}</pre>
      </Layout>,
    );
  }
  // The email's own document: inline style attributes and remote thumbnails need a wider CSP.
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', DIGEST_CSP)
    .send(html);
}
