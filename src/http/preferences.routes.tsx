import type { FastifyInstance, FastifyReply } from 'fastify';
import { confirmLink, subscriberLinks } from '../links/links.js';
import { latestListedDate } from '../papers/papers.repository.js';
import { type Subscriber, updatePreferences } from '../subscribers/subscribers.repository.js';
import {
  deleteSubscriber,
  exportSubscriberData,
  signOutOldLinks,
} from '../subscribers/subscription.service.js';
import { sendDigestPage } from './digest-page.js';
import { pathOf } from './link.routes.js';
import { MessagePage } from './pages/message.page.js';
import { PreferencesPage, type PreferencesPageProps } from './pages/preferences.page.js';
import { formValuesFrom, parsePreferencesForm, preferencesToForm } from './preferences-form.js';
import type { PublicDeps } from './public.routes.js';

type TokenParams = { Params: { token: string } };

/** The preferences page and its actions: save, download my data, sign out old links, delete me. */
export function preferencesRoutes(app: FastifyInstance, deps: PublicDeps): void {
  const { config } = deps;
  const senderName = config.mail.senderName;

  function page(
    reply: FastifyReply,
    token: string,
    subscriber: Subscriber,
    extra: Partial<PreferencesPageProps> = {},
    status = 200,
  ) {
    const self = `/preferences/${token}`;
    return deps.sendPage(
      reply,
      PreferencesPage({
        senderName,
        email: subscriber.email,
        status: subscriber.status,
        values: preferencesToForm(subscriber.preferences),
        urls: {
          self,
          preview: `${self}/preview`,
          data: `${self}/data`,
          signOut: `${self}/sign-out`,
          delete: `${self}/delete`,
          unsubscribe: pathOf(subscriberLinks(config, subscriber).unsubscribe),
          resubscribe: pathOf(confirmLink(config, subscriber)),
        },
        ...extra,
      }),
      status,
    );
  }

  app.get<TokenParams>('/preferences/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'preferences');
    if (!link) return deps.notFound(reply);
    return page(reply, request.params.token, link.subscriber);
  });

  app.post<TokenParams>('/preferences/:token', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'preferences');
    if (!link) return deps.notFound(reply);
    const values = formValuesFrom(request.body);
    const parsed = parsePreferencesForm(values);
    if (!parsed.ok)
      return page(reply, request.params.token, link.subscriber, { values, errors: parsed.errors }, 400);
    const saved =
      (await updatePreferences(deps.db, link.subscriber.id, parsed.preferences)) ?? link.subscriber;
    return page(reply, request.params.token, saved, {
      notice: 'Saved. Your next digest uses these preferences.',
    });
  });

  app.get<TokenParams>('/preferences/:token/data', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'preferences');
    if (!link) return deps.notFound(reply);
    const data = await exportSubscriberData(deps.db, link.subscriber);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="paperboy-data.json"')
      .send(JSON.stringify(data, null, 2));
  });

  // Revokes every link sent so far, then lands on the page under its new address (a path of this
  // site, so not an open redirect).
  app.post<TokenParams>('/preferences/:token/sign-out', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'preferences');
    if (!link) return deps.notFound(reply);
    const fresh = subscriberLinks(config, await signOutOldLinks(deps.db, link.subscriber)).preferences;
    return reply.redirect(`${pathOf(fresh)}`, 303);
  });

  app.post<TokenParams>('/preferences/:token/delete', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'preferences');
    if (!link) return deps.notFound(reply);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
      string,
      unknown
    >;
    if (body.confirm !== 'yes') {
      return page(
        reply,
        request.params.token,
        link.subscriber,
        { notice: 'Tick the box to confirm, then press Delete me.' },
        400,
      );
    }
    await deleteSubscriber(deps.db, link.subscriber);
    return deps.sendPage(
      reply,
      MessagePage({
        senderName,
        title: 'Deleted',
        children: (
          <p role="status">
            Everything we held about you is gone, and no more email will come. Thank you for reading.
          </p>
        ),
      }),
    );
  });

  app.get<TokenParams>('/preferences/:token/preview', async (request, reply) => {
    const link = await deps.resolve(request.params.token, 'preferences');
    if (!link) return deps.notFound(reply);
    return sendDigestPage(deps, reply, link.subscriber, await latestListedDate(deps.db));
  });
}
