import type { FastifyInstance, FastifyReply } from 'fastify';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AppContext } from '../context.js';
import { type Archive, createArchive } from '../editions/archive.service.js';
import { archiveUrl, buildAtomFeed, escapeHtml } from '../editions/archive-feed.js';

/**
 * Public archive: /archive (editions), /archive/:date (that edition's default digest as a page)
 * and /feed.xml (Atom). Nothing personal is on these pages, so they may be cached by anyone.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The digest is e-mail HTML: inline styles, remote images, no scripts, no forms.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; font-src https: data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function publicHeaders(reply: FastifyReply, maxAgeSeconds: number) {
  return reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', `public, max-age=${maxAgeSeconds}`);
}

function ArchiveIndex(props: {
  title: string;
  feedUrl: string;
  editions: { date: string; subject: string; count: number }[];
}) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="alternate" type="application/atom+xml" title={props.title} href={props.feedUrl} />
        <style>{`body{font:16px/1.5 system-ui,sans-serif;max-width:680px;margin:40px auto;padding:0 16px;color:#1d1d1f}
a{color:#2456d6}li{margin:0 0 10px}.muted{color:#6b6b70;font-size:14px}`}</style>
      </head>
      <body>
        <h1>{props.title}</h1>
        <p className="muted">
          Every edition of the digest with default settings. <a href={props.feedUrl}>Atom feed</a>
        </p>
        {props.editions.length === 0 ? <p>No editions yet.</p> : null}
        <ul>
          {props.editions.map((e) => (
            <li key={e.date}>
              <a href={`/archive/${e.date}`}>{e.date}</a> — {e.subject}{' '}
              <span className="muted">({e.count} papers)</span>
            </li>
          ))}
        </ul>
      </body>
    </html>
  );
}

export interface ArchiveRoutesOptions {
  ctx: AppContext;
  /** Tests pass their own to control the cache. */
  archive?: Archive;
}

export async function archiveRoutes(app: FastifyInstance, options: ArchiveRoutesOptions): Promise<void> {
  const { config, db } = options.ctx;
  const archive = options.archive ?? createArchive({ db, config });
  const site = { publicUrl: config.publicUrl, senderName: config.mail.senderName };
  const title = `${config.mail.senderName} archive`;

  const recent = async (limit: number) => {
    const list = await archive.list(limit);
    const editions = await Promise.all(list.map((e) => archive.edition(e.date)));
    return editions.filter((e) => e !== undefined);
  };

  app.get('/archive', async (_request, reply) => {
    const editions = (await recent(30)).map((e) => ({
      date: e.date,
      subject: e.subject,
      count: e.papers.length,
    }));
    const page = renderToStaticMarkup(
      <ArchiveIndex title={title} feedUrl={`${config.publicUrl}/feed.xml`} editions={editions} />,
    );
    return publicHeaders(reply, 300).type('text/html; charset=utf-8').send(`<!doctype html>${page}`);
  });

  app.get<{ Params: { date: string } }>('/archive/:date', async (request, reply) => {
    const { date } = request.params;
    if (!DATE.test(date)) {
      return reply
        .code(400)
        .type('text/plain; charset=utf-8')
        .send('An archive date looks like 2026-11-27.\n');
    }
    const edition = await archive.edition(date);
    if (!edition) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send(`There is no edition for ${date}. All editions: ${archiveUrl(site)}\n`);
    }
    // The digest is a whole e-mail document; the page only gains feed discovery and its address.
    const discovery =
      `<link rel="canonical" href="${escapeHtml(archiveUrl(site, date))}">` +
      `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(title)}" href="${escapeHtml(`${config.publicUrl}/feed.xml`)}">`;
    return publicHeaders(reply, 600)
      .type('text/html; charset=utf-8')
      .send(edition.html.replace(/<\/head>/i, `${discovery}</head>`));
  });

  app.get('/feed.xml', async (_request, reply) => {
    const editions = (await recent(20)).map((e) => ({
      date: e.date,
      title: e.subject,
      papers: e.papers,
      updatedAt: e.updatedAt,
    }));
    return publicHeaders(reply, 600)
      .type('application/atom+xml; charset=utf-8')
      .send(buildAtomFeed(site, editions));
  });
}
