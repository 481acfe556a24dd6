import type { ReactNode } from 'react';
import type { Actor } from './auth.js';

/** What every console page knows about the request it answers. */
export interface PageContext {
  actor: Actor;
  /** Goes into every form as `_csrf`. */
  csrf: string;
  /** A one-line message from the previous action (`?flash=`), shown once. */
  flash?: { text: string; error?: boolean };
}

/** The page as a document: renderPage escapes every text and attribute value, so data stays data. */
export { renderPage as html } from '../pages/layout.js';

export function Csrf({ value }: { value: string }) {
  return <input type="hidden" name="_csrf" value={value} />;
}

export function Document({ title, children }: { title: string; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · paperboy admin`}</title>
        <link rel="stylesheet" href="/admin/admin.css" />
      </head>
      <body>{children}</body>
    </html>
  );
}

export function Layout({ page, title, children }: { page: PageContext; title: string; children: ReactNode }) {
  return (
    <Document title={title}>
      <header className="top">
        <a className="brand" href="/admin">
          paperboy
        </a>
        <nav>
          <a href="/admin/editions">Editions</a>
          <a href="/admin/preview">Preview</a>
          <a href="/admin/queues">Queues</a>
          <a href="/admin/metrics">Metrics</a>
          <a href="/archive">Archive</a>
        </nav>
        <span className="who">signed in as {page.actor.name}</span>
        {page.actor.via === 'session' ? (
          <form className="signout" method="post" action="/admin/sign-out">
            <Csrf value={page.csrf} />
            <button type="submit">Sign out</button>
          </form>
        ) : null}
      </header>
      <main>
        {page.flash ? <p className={page.flash.error ? 'flash error' : 'flash'}>{page.flash.text}</p> : null}
        <h1>{title}</h1>
        {children}
      </main>
    </Document>
  );
}

export function SignInPage({ error, next }: { error?: string; next?: unknown }) {
  return (
    <Document title="Sign in">
      <div className="signin">
        <h1>paperboy admin</h1>
        {error ? <p className="flash error">{error}</p> : null}
        <form method="post" action="/admin/sign-in">
          {typeof next === 'string' ? <input type="hidden" name="next" value={next} /> : null}
          <label>
            Your name (for the logs)
            <input name="name" autoComplete="username" maxLength={40} />
          </label>
          <label>
            Admin token
            <input name="token" type="password" autoComplete="current-password" required />
          </label>
          <button className="primary" type="submit">
            Sign in
          </button>
        </form>
        <p className="muted">
          Or sign in with your browser's <a href="/admin/basic">password prompt</a> (any user name, the token
          as password). Scripts send <code>Authorization: Bearer $ADMIN_TOKEN</code>.
        </p>
      </div>
    </Document>
  );
}
