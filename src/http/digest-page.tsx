import type { FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { createEditionContext, selectForSubscriber } from '../editions/selection.service.js';
import { subscriberLinks } from '../links/links.js';
import { digestLinks } from '../render/digest.types.js';
import { renderDigest } from '../render/render-digest.js';
import type { Subscriber } from '../subscribers/subscribers.repository.js';
import { Layout } from './pages/layout.js';
import { MessagePage } from './pages/message.page.js';
import type { PublicDeps } from './public.routes.js';
import { DIGEST_CSP } from './public-security.js';

/**
 * A subscriber's digest as a web page: "view in browser" and the preferences page's preview.
 * Ranked and rendered by the same functions the send path calls (selection.service, renderDigest),
 * with the subscriber's saved preferences, feedback and already-sent papers.
 */

export type ComposedDigest =
  | { kind: 'email'; subject: string; html?: string; text: string }
  | { kind: 'skip'; reason: string };

export async function composeDigest(
  db: Db,
  config: Config,
  subscriber: Subscriber,
  date: string,
): Promise<ComposedDigest> {
  const { preferences } = subscriber;
  const selection = await selectForSubscriber(db, createEditionContext(date), subscriber);
  const quiet = selection.papers.length === 0;
  if (quiet && preferences.quietDay === 'skip')
    return { kind: 'skip', reason: selection.emptyReason ?? 'nothing new' };
  const rendered = await renderDigest({
    edition: { date, frequency: preferences.frequency },
    recipient: { email: subscriber.email },
    preferences,
    papers: selection.papers,
    quiet,
    links: digestLinks(subscriberLinks(config, subscriber), date),
    sender: { name: config.mail.senderName, address: config.mail.senderAddress },
    subjectTemplate: config.mail.subjectTemplate,
  });
  return { kind: 'email', ...rendered };
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
  const digest = await composeDigest(deps.db, deps.config, subscriber, date);
  if (digest.kind === 'skip') {
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: `No digest for ${date}`,
        children: (
          <p>Nothing matched your preferences ({digest.reason}), and you asked for no email on such days.</p>
        ),
      }),
    );
  }
  if (!digest.html) {
    return deps.sendPage(
      reply,
      <Layout title={digest.subject} senderName={senderName}>
        <h1>{digest.subject}</h1>
        <pre>{digest.text}</pre>
      </Layout>,
    );
  }
  // The email's own document: inline style attributes and remote thumbnails need a wider CSP.
  return reply
    .code(200)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', DIGEST_CSP)
    .send(digest.html);
}
